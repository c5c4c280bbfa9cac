import Foundation
@testable import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The embedded cluster lets in only the account that runs the pipeline: another local account (`nobody`)
/// reaches neither the TCP port nor the socket, while the owner needs no password anywhere.
final class EmbeddedAccessTests: XCTestCase {
    /// The checkout's embedded cluster, which `make test` starts.
    var checkout: LocalDatabase { LocalDatabase(root: TestServer.projectRoot.appendingPathComponent(".mtp")) }

    func runningCheckoutCluster() throws -> (LocalDatabase, Int) {
        let local = checkout
        let status = try local.status()
        guard status.running, let port = status.port else {
            XCTFail("the embedded cluster of this checkout is not running: \(TestServer.howToStart)")
            throw PipelineError(.operational, "embedded cluster not running")
        }
        return (local, port)
    }

    /// `psql` as another account, in /tmp, never prompting; what it printed and whether it succeeded.
    static func psqlAsOtherAccount(_ conninfo: String, _ sql: String, environment: [String: String] = [:]) throws -> Subprocess.Outcome {
        guard geteuid() == 0 else {
            throw PipelineError(.operational, "this test switches to the `nobody` account with runuser, which needs root: run `make test` as root")
        }
        let env = try Subprocess.locate("env")
        let settings = ["PGCONNECT_TIMEOUT=5"] + environment.map { "\($0.key)=\($0.value)" }
        return try Subprocess.run(env, ["-C", "/tmp", "-u", "PGPASSWORD", "-u", "PGPASSFILE"] + settings
                                  + [try Subprocess.locate("psql"), "-X", "-w", "-tA", conninfo, "-c", sql], as: "nobody")
    }

    func testAnotherAccountReachesNeitherTheTCPPortNorTheSocket() throws {
        let (local, port) = try runningCheckoutCluster()
        let marker = "/tmp/mtp-nobody-\(UUID().uuidString.prefix(8))"
        defer { unlink(marker) }
        let program = "copy (select 1) to program 'id > \(marker)'"

        let tcp = "host=127.0.0.1 port=\(port) user=postgres dbname=manager"
        let noPassword = try Self.psqlAsOtherAccount(tcp, program)
        XCTAssertFalse(noPassword.succeeded, "TCP without a password: \(noPassword.output)")
        XCTAssertTrue(noPassword.output.contains("password"), "refused for want of a password: \(noPassword.output)")
        let guessed = try Self.psqlAsOtherAccount(tcp, program, environment: ["PGPASSWORD": "postgres"])
        XCTAssertFalse(guessed.succeeded)
        XCTAssertTrue(guessed.output.contains("password authentication failed"), guessed.output)
        let borrowed = try Self.psqlAsOtherAccount(tcp, program, environment: ["PGPASSFILE": local.passwordFile.path])
        XCTAssertFalse(borrowed.succeeded, "the owner's password file is not readable by others: \(borrowed.output)")

        let socketDirectory = local.placement.appendingPathComponent("run").path
        let socket = try Self.psqlAsOtherAccount("host='\(socketDirectory)' port=\(port) user=postgres dbname=manager", program)
        XCTAssertFalse(socket.succeeded, socket.output)
        XCTAssertTrue(socket.output.contains("Permission denied"), "the socket's directory is closed to others: \(socket.output)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker), "no program ran as the server's account")

        let mode = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: socketDirectory)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o077, 0, "socket directory mode \(String(mode, radix: 8))")
        let hba = try String(contentsOf: local.dataDirectory.appendingPathComponent("pg_hba.conf"), encoding: .utf8)
        let methods = hba.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertFalse(methods.contains { $0.split(separator: " ").contains("trust") }, "no trust line: \(hba)")
    }

    func testTheOwnerGetsInWithoutTypingAPassword() throws {
        let (local, _) = try runningCheckoutCluster()
        let attributes = try FileManager.default.attributesOfItem(atPath: local.passwordFile.path)
        XCTAssertEqual((attributes[.posixPermissions] as? Int).map { $0 & 0o777 }, 0o600, "the password file is the owner's alone")
        XCTAssertEqual((attributes[.ownerAccountID] as? NSNumber)?.uint32Value, geteuid())
        let password = try XCTUnwrap(ClusterAccess.readPassword(from: local.passwordFile))

        let url = try CommandLineRun.run(["db", "url", "manager"])
        XCTAssertEqual(url.status, 0, url.stderr)
        XCTAssertTrue(url.stdout.contains("passfile="), url.stdout)
        XCTAssertFalse(url.stdout.contains(password))
        // The README's example: psql "$(mtp-etl db url manager)", with no password in the environment.
        let psql = try Subprocess.run(Subprocess.locate("env"), ["-u", "PGPASSWORD", "-u", "PGPASSFILE", try Subprocess.locate("psql"),
                                                                 "-X", "-w", "-tA", url.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                                                 "-c", "select current_user || ' ' || host(inet_server_addr())"])
        XCTAssertTrue(psql.succeeded, psql.output)
        XCTAssertEqual(psql.output.trimmingCharacters(in: .whitespacesAndNewlines), "postgres 127.0.0.1")

        let status = try CommandLineRun.run(["db", "status"])
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("access: owner only"), "db status says how access is restricted: \(status.stdout)")
        XCTAssertTrue(status.stdout.contains("scram-sha-256"), status.stdout)
        XCTAssertFalse(status.stdout.contains(password))
    }

    /// A cluster made by an earlier version (trust for everyone, a socket open to all, no password) is brought to
    /// the rules by the next `db start`, stopped or running, and keeps its data.
    func testAnEarlierVersionsTrustClusterIsBroughtToTheRules() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        let local = LocalDatabase(root: directory.url.appendingPathComponent(".mtp"))
        defer { try? local.remove() }
        let port = try XCTUnwrap(try local.start().port)
        try Connection.withConnection(local.socketConninfo(database: "manager")) {
            try $0.execute("create table kept (note text); insert into kept values ('planned before the upgrade')")
        }
        let tcp = "host=127.0.0.1 port=\(port) user=postgres dbname=manager"

        func makeItAsTheEarlierVersionDid() throws {
            try "local all all trust\nhost all all 127.0.0.1/32 trust\n".write(to: local.dataDirectory.appendingPathComponent("pg_hba.conf"),
                                                                              atomically: false, encoding: .utf8)
            try FileManager.default.removeItem(at: local.passwordFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: local.placement.appendingPathComponent("run").path)
        }
        func assertOwnerOnly(_ when: String) throws {
            let other = try Self.psqlAsOtherAccount(tcp, "select 1")
            XCTAssertFalse(other.succeeded, "\(when): another account is refused: \(other.output)")
            XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: local.passwordFile.path)[.posixPermissions] as? Int, 0o600)
            try Connection.withConnection(local.tcpURL(database: "manager")) {
                XCTAssertEqual(try $0.query("select note from kept").first?.decode(String.self, 0), "planned before the upgrade", when)
            }
        }

        try local.stop()
        try makeItAsTheEarlierVersionDid()
        try local.start()
        try assertOwnerOnly("stopped, then started")

        try makeItAsTheEarlierVersionDid()
        try Connection.withConnection(local.socketConninfo(database: "postgres")) { try $0.execute("select pg_reload_conf()") }
        Thread.sleep(forTimeInterval: 0.5)
        let open = try Self.psqlAsOtherAccount(tcp, "select 'in'")
        XCTAssertTrue(open.succeeded && open.output.contains("in"), "the earlier version's rules let anyone in: \(open.output)")
        try local.start()
        Thread.sleep(forTimeInterval: 0.5)
        try assertOwnerOnly("running, then started again")

        // Several starts at once, with no password file yet, the server running and then stopped: they take turns
        // and agree on one password.
        for stopped in [false, true] {
            if stopped { try local.stop() }
            try FileManager.default.removeItem(at: local.passwordFile)
            let starts = try (0..<4).map { _ in
                let process = Process()
                process.executableURL = CommandLineRun.binary
                process.arguments = ["db", "start"]
                process.currentDirectoryURL = directory.url
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            for process in starts { process.waitUntilExit(); XCTAssertEqual(process.terminationStatus, 0, "concurrent db start, stopped: \(stopped)") }
            try assertOwnerOnly("after four concurrent starts, stopped: \(stopped)")
        }
    }

    /// Everything `make run` prints, records and writes, done against the embedded cluster over TCP with its
    /// password file: no trace of the password anywhere.
    func testThePasswordAppearsInNoOutputLedgerOrWorkbook() throws {
        let (local, _) = try runningCheckoutCluster()
        let password = try XCTUnwrap(ClusterAccess.readPassword(from: local.passwordFile))
        let (sources, work) = try SourceDatabases.handBuiltSample("access_run")
        let out = work.url.appendingPathComponent("out")
        let environment = ["MTP_MANAGER_URL": try local.tcpURL(database: sources.manager.name),
                           "MTP_CENTRAL_URL": try local.tcpURL(database: sources.central.name)]
        var printed: [CommandLineRun] = []
        printed.append(try CommandLineRun.run(["run", "--inbox", work.url.appendingPathComponent("inbox").path,
                                               "--settle", "0", "--out", out.path, "--date", "2026-03-31", "--log-level", "debug"],
                                              environment: environment))
        XCTAssertEqual(printed.last?.status, 0, printed.last?.stderr ?? "")
        let lot = try XCTUnwrap(try sources.manager.connect().query("select item_code from snapshot.tealine order by 1 limit 1").first?.decode(String.self, 0))
        printed.append(try CommandLineRun.run(["trace", "lot", lot, "--xlsx", out.appendingPathComponent("recall.xlsx").path], environment: environment))
        XCTAssertEqual(printed.last?.status, 0, printed.last?.stderr ?? "")
        for arguments in [["runs"], ["snapshots"], ["db", "status"], ["db", "url", "manager"], ["db", "url", "central", "--socket"],
                          ["check", "--manager", try local.tcpURL(database: "no_such_database")]] {
            printed.append(try CommandLineRun.run(arguments, environment: environment))
        }
        for run in printed {
            XCTAssertFalse(run.stdout.contains(password) || run.stderr.contains(password), "the password in what a command printed")
        }
        let dump = try Subprocess.run(Subprocess.locate("pg_dump"), ["--data-only", "--schema=mtp", environment["MTP_MANAGER_URL"]!])
        XCTAssertTrue(dump.succeeded && dump.output.contains("COPY mtp.run "), "a dump of the ledger: \(dump.output.prefix(300))")
        XCTAssertFalse(dump.output.contains(password), "the password in the ledger")
        let workbooks = try FileManager.default.contentsOfDirectory(at: out, includingPropertiesForKeys: nil).filter { $0.pathExtension == "xlsx" }
        XCTAssertEqual(workbooks.count, 2)
        for workbook in workbooks {
            let parts = try Subprocess.run("/usr/bin/python3", ["-c", """
                import sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                print(sum(len(z.read(n)) for n in z.namelist()), any(sys.argv[2].encode() in z.read(n) for n in z.namelist()))
                """, workbook.path, password])
            XCTAssertTrue(parts.succeeded, parts.output)
            XCTAssertTrue(parts.output.hasSuffix("False\n"), "the password in \(workbook.lastPathComponent): \(parts.output)")
        }
    }
}
