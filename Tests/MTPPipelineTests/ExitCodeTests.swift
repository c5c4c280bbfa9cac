import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The README's exit codes, whichever command and whichever check: a refused argument is 2, an interrupted
/// command rolls back and exits 5, and `--help` lists every code.
final class ExitCodeTests: XCTestCase {
    func testEveryRefusedArgumentExitsTwoWhicheverCheckFindsIt() throws {
        let refused: [[String]] = [
            // Refused before any work: the arguments are checked before a database is reached (this one is not there).
            ["run", "--as-of", "garbage"], ["report", "--date", "2026-13-45", "--manager", "host=127.0.0.1 port=1 connect_timeout=1"],
            ["report", "--date", "2026-02-30", "--manager", "host=127.0.0.1 port=1 connect_timeout=1"], ["report", "--period-days", "0"],
            ["import-plans"], ["import-plans", "x.csv", "--delimiter", "#"], ["runs", "--last", "abc"], ["trace", "lot"],
            ["trace", "shipment", "no-slash"], ["nosuch"], ["status", "--warn-age", "soon"], ["pull-central", "--jobs", "0"],
            ["pull-central", "--max-replica-lag", "-5s"], ["run", "--log-level", "loud"], ["db", "url", "nowhere"],
            ["runs", "--last", "0"], ["snapshots", "--last", "-1"],
        ]
        for arguments in refused {
            let run = try CommandLineRun.run(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments.joined(separator: " ")) is refused with 2: \(run.stderr)")
            XCTAssertFalse(run.stderr.isEmpty, "and says why: \(arguments)")
        }
        let help = try CommandLineRun.run(["--help"])
        XCTAssertEqual(help.status, 0)
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for code in ["0 all good", "1 rows were rejected", "2 input refused", "3 operational error", "4 another run holds the lock", "5 interrupted"] {
            XCTAssertTrue(words.contains(code), "--help names \(code): \(help.stdout)")
        }
    }

    /// Waits until a session of `applicationName` waits for a lock.
    func waitForLockWait(_ connection: Connection, applicationName: String) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try connection.query("select count(*) from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
                                    [applicationName]).first!.decode(Int.self, 0) > 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("\(applicationName) never waited for its lock")
    }

    func testAnInterruptedStageCommandRollsBackAndExitsFive() throws {
        let sources = try SampleFacts.make("interrupt")
        let environment = sources.environment
        let manager = try sources.manager.connect()
        let builtAt = try manager.query("select built_at::text from facts.build").first!.decode(String.self, 0)

        let blocker = try sources.manager.connect()
        try blocker.execute("begin")
        try blocker.query("select pg_advisory_xact_lock(hashtext('mtp-etl build'))")
        let build = try RunningCommand(["build"], environment: environment)
        try waitForLockWait(manager, applicationName: "mtp-etl build")
        build.signal(SIGTERM)
        let built = build.wait()
        try blocker.execute("rollback")
        XCTAssertEqual(built.status, 5, built.stderr)
        XCTAssertTrue(built.stderr.contains("interrupted by signal 15"), built.stderr)
        XCTAssertEqual(try manager.query("select built_at::text from facts.build").first!.decode(String.self, 0), builtAt,
                       "the previous facts stay")
        XCTAssertEqual(try manager.query("select count(*) from pg_namespace where nspname = 'facts_next'").first!.decode(Int.self, 0), 0,
                       "nothing of the interrupted build is kept")

        let work = try TemporaryDirectory()
        try work.write("plans.csv", "order_code,product_name,requirement,plan_start,plan_end\nORD-INT-1,Earl Grey,100,2026-03-01,2026-03-05\n")
        let imports = try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0)
        try blocker.execute("begin")
        try blocker.query("select pg_advisory_xact_lock(hashtext('mtp-etl import-plans'))")
        let importing = try RunningCommand(["import-plans", work.url.appendingPathComponent("plans.csv").path], environment: environment)
        try waitForLockWait(manager, applicationName: "mtp-etl")
        importing.signal(SIGINT)
        let imported = importing.wait()
        try blocker.execute("rollback")
        XCTAssertEqual(imported.status, 5, imported.stderr)
        Thread.sleep(forTimeInterval: 0.5)   // the server ends the orphaned session and rolls it back
        XCTAssertEqual(try manager.query("select count(*) from mtp.plan_import").first!.decode(Int.self, 0), imports, "no ledger row kept")
        XCTAssertEqual(try manager.query("select count(*) from order_plan where order_code = 'ORD-INT-1'").first!.decode(Int.self, 0), 0)
    }
}

/// Every failed run is told: `--on-failure` runs for failures before the first stage too, and the ledger has the
/// failure whenever Manager answers.
final class FailureAlertTests: XCTestCase {
    func alertDocument(_ file: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: file)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    func testEveryFailureBeforeTheFirstStageIsAlertedAndRecordedWhereItCanBe() throws {
        let (sources, work) = try SourceDatabases.handBuiltSample("alerts")
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try sources.manager.connect())
        let alert = work.url.appendingPathComponent("alert.json")
        let onFailure = ["--on-failure", "cat > '\(alert.path)'"]

        // An output directory that cannot be made: Manager answers, so the ledger has the failed run.
        try work.write("not-a-folder", "a file where the workbook's folder should be\n")
        let badOut = try CommandLineRun.run(["run", "--out", work.url.appendingPathComponent("not-a-folder/out").path] + onFailure,
                                            environment: sources.environment)
        XCTAssertNotEqual(badOut.status, 0, badOut.stderr)
        var document = try alertDocument(alert)
        XCTAssertEqual(document["outcome"] as? String, "failed")
        XCTAssertEqual(document["exit_code"] as? Int, Int(badOut.status))
        XCTAssertTrue((document["error"] as? String)?.contains("not-a-folder") == true, "\(document)")
        let ledger = try sources.manager.connect().query("select outcome, exit_code, error from mtp.run").rows
        XCTAssertEqual(ledger.count, 1, "the failed run is in the ledger")
        XCTAssertEqual(try ledger.first?.decode(String.self, 0), "failed")
        XCTAssertEqual(try ledger.first?.decode(Int32.self, 1), badOut.status)
        XCTAssertEqual(document["run_id"] as? Int, try sources.manager.connect().query("select run_id::int from mtp.run").first!.decode(Int.self, 0))

        // Manager unreachable: nothing to record in, but the alert goes out.
        try FileManager.default.removeItem(at: alert)
        let unreachable = try CommandLineRun.run(["run", "--manager", "host=127.0.0.1 port=1 dbname=manager connect_timeout=2",
                                                  "--out", work.url.appendingPathComponent("out").path] + onFailure, environment: sources.environment)
        XCTAssertEqual(unreachable.status, 3, unreachable.stderr)
        document = try alertDocument(alert)
        XCTAssertEqual(document["outcome"] as? String, "failed")
        XCTAssertTrue((document["error"] as? String)?.contains("could not connect") == true, "\(document)")

        // The embedded cluster stopped (a checkout whose cluster is not running): the alert says how to start it.
        try FileManager.default.removeItem(at: alert)
        let checkout = try TemporaryDirectory()
        let stopped = try CommandLineRun.run(["run", "--out", work.url.appendingPathComponent("out").path] + onFailure,
                                             environment: ["MTP_HOME": TestServer.projectRoot.path], in: checkout.url)
        XCTAssertEqual(stopped.status, 3, stopped.stderr)
        document = try alertDocument(alert)
        XCTAssertTrue((document["error"] as? String)?.contains("mtp-etl db start") == true, "\(document)")
    }
}
