import Foundation
@testable import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// No piece of a password, ever: passwords holding each character libpq's URIs or conninfo strings treat
/// specially, given raw, percent-encoded and as key=value, to servers that refuse the port, do not exist, reject
/// the login or lack TLS. Nothing of them appears in stdout, stderr, log lines, the ledger, the `--on-failure`
/// document or a workbook; a URL libpq would misread is refused (exit 2) before anything connects.
final class CredentialLeakTests: XCTestCase {
    static let head = "Zq8Kp", tail = "Wm3Rt"

    func assertNoFragment(_ text: String, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.contains(Self.head) || text.contains(Self.tail), "a piece of the password in \(label): \(text.prefix(600))",
                       file: file, line: line)
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }

    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func testNoPieceOfAPasswordAnywhereWhateverItHoldsAndWhereverItGoes() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("leaks")
        let port = try XCTUnwrap(LocalDatabase(root: TestServer.projectRoot.appendingPathComponent(".mtp")).status().port,
                                 "the embedded test server listens on TCP: \(TestServer.howToStart)")
        var refusedBeforeConnecting = 0, failedToConnect = 0
        for special in ["@", "/", ":", "?", "#", "%", "'", " "] {
            let password = Self.head + special + Self.tail
            let raw = "postgresql://mtp_leak:\(password)@127.0.0.1:1/central?connect_timeout=2"
            let encoded = "postgresql://mtp_leak:\(Self.percentEncoded(password))@127.0.0.1:\(port)/central?connect_timeout=2"
            let keyValue = "host=nohost.invalid port=\(port) dbname=central user=mtp_leak password=\(Self.quoted(password)) connect_timeout=2"
            let tls = "host=127.0.0.1 port=\(port) dbname=\(sources.central.name) user=mtp_leak password=\(Self.quoted(password)) sslmode=require connect_timeout=2"
            for central in [raw, encoded, keyValue, tls] {
                let alert = work.url.appendingPathComponent("alert.json")
                try? FileManager.default.removeItem(at: alert)
                let run = try CommandLineRun.run(["run", "--central", central, "--log-level", "debug", "--out", work.url.appendingPathComponent("out").path,
                                                  "--on-failure", "cat > '\(alert.path)'"],
                                                 environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
                XCTAssertTrue([2, 3].contains(run.status), "\(special): refused or failed, never run: \(run.stderr)")
                if run.status == 2 { refusedBeforeConnecting += 1 } else { failedToConnect += 1 }
                assertNoFragment(run.stdout + run.stderr, "the output of run --central (\(special))")
                if let document = try? String(contentsOf: alert, encoding: .utf8) { assertNoFragment(document, "the --on-failure document (\(special))") }
                let check = try CommandLineRun.run(["check", "--manager", central.replacingOccurrences(of: "/central", with: "/manager")])
                XCTAssertTrue([2, 3].contains(check.status), check.stderr)
                assertNoFragment(check.stdout + check.stderr, "the output of check --manager (\(special))")
            }
            if ["@", "/", ":", "?", "#", "%", " "].contains(special) {
                let refused = try CommandLineRun.run(["check", "--manager", raw])
                XCTAssertEqual(refused.status, 2, "\(special) unencoded in a URL is refused: \(refused.stderr)")
                XCTAssertTrue(refused.stderr.contains("postgresql://***@127.0.0.1:1/central"), "the URL is shown masked: \(refused.stderr)")
                XCTAssertTrue(refused.stderr.contains("percent-encode"), refused.stderr)
            }
        }
        // A login whose password holds them all, percent-encoded: the whole run succeeds and writes its workbook.
        let role = "mtp_leak_\(UUID().uuidString.prefix(8).lowercased())"
        let password = Self.head + "@/:?#%' " + Self.tail
        let admin = try TestServer.admin()
        try admin.execute("create role \(role) login password \(quoteLiteral(password)); grant pg_read_all_data to \(role)")
        defer { _ = try? admin.execute("drop role if exists \(role)") }
        let good = "postgresql://\(role):\(Self.percentEncoded(password))@127.0.0.1:\(port)/\(sources.central.name)"
        let succeeded = try CommandLineRun.run(["run", "--central", good, "--log-level", "debug", "--inbox", work.url.appendingPathComponent("inbox").path,
                                                "--settle", "0", "--date", "2026-03-31", "--out", work.url.appendingPathComponent("out").path],
                                               environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(succeeded.status, 0, succeeded.stderr)
        assertNoFragment(succeeded.stdout + succeeded.stderr, "the output of a good run")
        XCTAssertTrue(FileManager.default.fileExists(atPath: work.url.appendingPathComponent("out/mtp-report-2026-03-31.xlsx").path))
        let snapshots = try CommandLineRun.run(["snapshots", "--manager", sources.manager.conninfo])
        XCTAssertTrue(snapshots.stdout.contains(sources.central.name), snapshots.stdout)
        assertNoFragment(snapshots.stdout, "snapshots")

        XCTAssertGreaterThan(refusedBeforeConnecting, 0)
        XCTAssertGreaterThan(failedToConnect, 0)
        let dump = try Subprocess.run(Subprocess.locate("pg_dump"), ["--data-only", "--schema=mtp", sources.manager.conninfo])
        XCTAssertTrue(dump.succeeded && dump.output.contains("COPY mtp.run "), dump.output.prefix(300).description)
        XCTAssertTrue(dump.output.contains("pull-central"), "the failed runs are in the ledger")
        assertNoFragment(dump.output, "the ledger")
        let workbooks = try FileManager.default.contentsOfDirectory(at: work.url.appendingPathComponent("out"), includingPropertiesForKeys: nil)
        XCTAssertFalse(workbooks.isEmpty)
        for workbook in workbooks {
            let parts = try Subprocess.run("/usr/bin/python3", ["-c", """
                import sys, zipfile
                z = zipfile.ZipFile(sys.argv[1])
                print(any(p.encode() in z.read(n) for n in z.namelist() for p in sys.argv[2:]))
                """, workbook.path, Self.head, Self.tail])
            XCTAssertEqual(parts.output.trimmingCharacters(in: .whitespacesAndNewlines), "False", workbook.path)
        }
    }
}
