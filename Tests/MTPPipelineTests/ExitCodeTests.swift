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
            ["run", "--as-of", "garbage"], ["report", "--date", "2026-13-45"], ["report", "--period-days", "0"],
            ["import-plans"], ["import-plans", "x.csv", "--delimiter", "#"], ["runs", "--last", "abc"], ["trace", "lot"],
            ["trace", "shipment", "no-slash"], ["nosuch"], ["status", "--warn-age", "soon"], ["pull-central", "--jobs", "0"],
            ["pull-central", "--max-replica-lag", "-5s"], ["run", "--log-level", "loud"], ["db", "url", "nowhere"],
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
