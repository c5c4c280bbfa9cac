import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `mtp-etl run` as cron runs it: the whole run, the ledger, no overlap, failures and signals.
final class RunCommandTests: XCTestCase {
    /// Sources with the hand-built state loaded (nothing imported, pulled or built: the run does it) and an inbox
    /// holding a copy of its planning files.
    func sampleSources(_ prefix: String) throws -> (SourceDatabases, TemporaryDirectory) {
        try SourceDatabases.handBuiltSample(prefix)
    }

    func environment(_ sources: SourceDatabases) -> [String: String] {
        sources.environment
    }

    /// Starts `mtp-etl run` in the background while a session holds the build's lock, so that the run stops
    /// inside its build stage; returns it with its run id and the holding session (roll it back to release).
    func startRunHeldInItsBuild(_ arguments: [String], sources: SourceDatabases) throws -> (RunningCommand, Int64, Connection) {
        let manager = try sources.manager.connect()
        let blocker = try sources.manager.connect()
        try blocker.execute("begin")
        try blocker.query("select pg_advisory_xact_lock(hashtext('mtp-etl build'))")
        let running = try RunningCommand(arguments, environment: environment(sources))
        let deadline = Date().addingTimeInterval(60)
        var runID: Int64?
        while runID == nil, Date() < deadline {
            if try manager.query("select to_regclass('mtp.run_stage') is not null").first!.decode(Bool.self, 0) {
                runID = try manager.query("select run_id from mtp.run_stage where stage = 'build' and outcome = 'running'").first?.decode(Int64.self, 0)
            }
            if runID == nil { Thread.sleep(forTimeInterval: 0.1) }
        }
        return (running, try XCTUnwrap(runID, "the run reached its build stage"), blocker)
    }

    func testAWholeRunOnTheSampleStateIsRecordedStageByStage() throws {
        let (sources, work) = try sampleSources("run_whole")
        let out = work.url.appendingPathComponent("out")
        let run = try CommandLineRun.run(["run", "--inbox", work.url.appendingPathComponent("inbox").path, "--settle", "0", "--out", out.path,
                                          "--date", "2026-03-31", "--json"], environment: environment(sources))
        XCTAssertEqual(run.status, 0, "rejected planning rows are a normal day: \(run.stderr)")
        let summary = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(summary?["outcome"] as? String, "succeeded")
        XCTAssertEqual(summary?["workbook"] as? String, out.appendingPathComponent("mtp-report-2026-03-31.xlsx").path)
        XCTAssertFalse(run.stderr.contains("\u{1B}["), "no terminal codes when not on a terminal")
        XCTAssertTrue(run.stderr.contains("info mtp.run"), "timestamped log lines instead: \(run.stderr)")

        let manager = try sources.manager.connect()
        let ledger = try manager.query("select outcome, exit_code, failed_stage, workbook from mtp.run").rows
        XCTAssertEqual(ledger.count, 1)
        XCTAssertEqual(try ledger[0].decode(String.self, 0), "succeeded")
        XCTAssertEqual(try ledger[0].decode(Int.self, 1), 0)
        XCTAssertNil(try ledger[0].decode(String?.self, 2))
        let stages = try manager.query("""
            select stage, outcome, (counts ->> 'rows_rejected')::int, (counts ->> 'sheets')::int, seconds is not null, peak_rss_mib > 0
              from mtp.run_stage order by position
            """).rows
        XCTAssertEqual(try stages.map { try $0.decode(String.self, 0) }, ["migrate", "check", "import-plans", "pull-central", "build", "report"])
        XCTAssertEqual(try stages.map { try $0.decode(String.self, 1) }, Array(repeating: "succeeded", count: 6))
        XCTAssertEqual(try stages[2].decode(Int?.self, 2), try manager.query("select count(*)::int from mtp.plan_reject").first!.decode(Int.self, 0))
        XCTAssertEqual(try stages[5].decode(Int?.self, 3), 10, "ten sheets")
        XCTAssertTrue(try stages.allSatisfy { try $0.decode(Bool.self, 4) && $0.decode(Bool.self, 5) }, "every stage timed and measured")
        XCTAssertEqual(try WorkbookReading.read(out.appendingPathComponent("mtp-report-2026-03-31.xlsx")).sheets.count, 10)

        let history = try CommandLineRun.run(["runs", "--last", "5"], environment: environment(sources))
        XCTAssertEqual(history.status, 0, history.stderr)
        XCTAssertTrue(history.stdout.hasPrefix("run 1 "), history.stdout)
        XCTAssertTrue(history.stdout.contains("pull-central  succeeded"), history.stdout)
    }

    func testASecondRunExitsBusyAndSIGTERMDuringTheBuildKeepsThePreviousFactsAndWorkbook() throws {
        let (sources, work) = try sampleSources("run_busy")
        let out = work.url.appendingPathComponent("out")
        let arguments = ["run", "--out", out.path, "--date", "2026-03-31"]
        let first = try CommandLineRun.run(arguments, environment: environment(sources))
        XCTAssertEqual(first.status, 0, first.stderr)
        let workbook = out.appendingPathComponent("mtp-report-2026-03-31.xlsx")
        let workbookBefore = try Data(contentsOf: workbook)
        let manager = try sources.manager.connect()
        let factsBefore = try manager.query("select built_at::text from facts.build").first!.decode(String.self, 0)

        // Hold the build's lock so the next run stops inside its build stage.
        let (running, blockedRun, blocker) = try startRunHeldInItsBuild(arguments, sources: sources)

        // A second run exits at once with 4, naming the holder.
        let started = Date()
        let second = try CommandLineRun.run(arguments, environment: environment(sources))
        XCTAssertEqual(second.status, 4, second.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "it never waits")
        XCTAssertTrue(second.stderr.contains("run \(blockedRun) on host \(ProcessInfo.processInfo.hostName), pid \(running.process.processIdentifier), started "), second.stderr)

        // SIGTERM: the build's transaction rolls back, the run is interrupted (exit 5).
        running.signal(SIGTERM)
        let interrupted = running.wait(timeout: 30)
        XCTAssertEqual(interrupted.status, 5, interrupted.stderr)
        try blocker.execute("rollback")
        let ledger = try manager.query("select outcome, failed_stage, exit_code from mtp.run where run_id = $1", [blockedRun]).first!
        XCTAssertEqual(try ledger.decode(String.self, 0), "interrupted")
        XCTAssertEqual(try ledger.decode(String.self, 1), "build")
        XCTAssertEqual(try ledger.decode(Int.self, 2), 5)
        XCTAssertEqual(try manager.query("select outcome from mtp.run_stage where run_id = $1 and stage = 'build'", [blockedRun]).first!.decode(String.self, 0),
                       "interrupted")
        XCTAssertEqual(try manager.query("select built_at::text from facts.build").first!.decode(String.self, 0), factsBefore, "the previous facts stay")
        XCTAssertEqual(try manager.query("select count(*)::int from pg_namespace where nspname = 'facts_next'").first!.decode(Int.self, 0), 0)
        XCTAssertEqual(try Data(contentsOf: workbook), workbookBefore, "the previous workbook stays")

        // The lock went with the process: the next run simply starts again.
        let next = try CommandLineRun.run(arguments, environment: environment(sources))
        XCTAssertEqual(next.status, 0, next.stderr)
    }

    func testAnUnreachableCentralFailsAtPullCentralAndAlertsLeavingThePreviousWorkbook() throws {
        let (sources, work) = try sampleSources("run_central")
        let out = work.url.appendingPathComponent("out")
        let arguments = ["run", "--out", out.path, "--date", "2026-03-31"]
        XCTAssertEqual(try CommandLineRun.run(arguments, environment: environment(sources)).status, 0)
        let workbook = out.appendingPathComponent("mtp-report-2026-03-31.xlsx")
        let before = try Data(contentsOf: workbook)

        let alert = work.url.appendingPathComponent("alert.json")
        var broken = environment(sources)
        broken["MTP_CENTRAL_URL"] = "postgresql://reader:Secret-99@127.0.0.1:1/central?connect_timeout=2"
        let failed = try CommandLineRun.run(arguments + ["--on-failure", "cat > '\(alert.path)'"], environment: broken)
        XCTAssertEqual(failed.status, 3, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("pull-central"), failed.stderr)
        XCTAssertFalse(failed.stderr.contains("Secret-99"), "no password in any message")
        XCTAssertEqual(try Data(contentsOf: workbook), before, "the previous workbook stays")
        let manager = try sources.manager.connect()
        let ledger = try manager.query("select outcome, failed_stage, exit_code, error from mtp.run order by run_id desc limit 1").first!
        XCTAssertEqual(try ledger.decode(String.self, 0), "failed")
        XCTAssertEqual(try ledger.decode(String.self, 1), "pull-central")
        XCTAssertEqual(try ledger.decode(Int.self, 2), 3)
        XCTAssertFalse(try ledger.decode(String.self, 3).contains("Secret-99"))
        XCTAssertEqual(try manager.query("select count(*)::int from mtp.run_stage where run_id = (select max(run_id) from mtp.run)").first!.decode(Int.self, 0), 4,
                       "no stage after the failed one")

        // --on-failure received the summary on its standard input.
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: alert)) as? [String: Any]
        XCTAssertEqual(summary?["outcome"] as? String, "failed")
        XCTAssertEqual(summary?["failed_stage"] as? String, "pull-central")
        XCTAssertEqual(summary?["exit_code"] as? Int, 3)
    }

    func testASIGKILLedRunLeavesNoLockAndIsClosedAsAbandoned() throws {
        let (sources, work) = try sampleSources("run_kill")
        let arguments = ["run", "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31"]
        let manager = try sources.manager.connect()
        let (running, killedRun, blocker) = try startRunHeldInItsBuild(arguments, sources: sources)
        running.signal(SIGKILL)
        let ended = running.wait(timeout: 30)
        XCTAssertEqual(running.process.terminationReason, .uncaughtSignal)
        XCTAssertEqual(ended.status, SIGKILL, "killed, with no chance to clean up")
        try blocker.execute("rollback")

        // No lock survives the process: the next run starts at once and closes the killed one's ledger row.
        let next = try CommandLineRun.run(arguments, environment: environment(sources))
        XCTAssertEqual(next.status, 0, next.stderr)
        let killed = try manager.query("select outcome, error from mtp.run where run_id = $1", [killedRun]).first!
        XCTAssertEqual(try killed.decode(String.self, 0), "abandoned")
        XCTAssertTrue(try killed.decode(String.self, 1).contains("killed?"))
        XCTAssertEqual(try manager.query("select outcome from mtp.run_stage where run_id = $1 and stage = 'build'", [killedRun]).first!.decode(String.self, 0),
                       "interrupted")
    }

    func testOnATerminalEachStageIsOneLiveLine() throws {
        let (sources, work) = try sampleSources("run_tty")
        // util-linux `script` gives the run a pseudo-terminal, as a person at a shell would.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = [CommandLineRun.binary.path, "run", "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31"]
            .map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-qec", command, "/dev/null"]
        process.currentDirectoryURL = TestServer.projectRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment(sources)) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        for stage in RunStage.allCases {
            XCTAssertTrue(output.contains("\r\u{1B}[K  \(stage.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0))"),
                          "a line redrawn in place for \(stage.rawValue): \(output.debugDescription)")
        }
        XCTAssertTrue(output.contains("succeeded  peak"), output)
        XCTAssertFalse(output.contains("info mtp.run"), "no log lines on a terminal unless asked")
    }
}

/// One lock for every command that writes: a command beside a run or another command waits for it or exits 4
/// naming it, never 3, never a deadlock.
final class PipelineLockTests: XCTestCase {
    func testBuildsAndRunsStartedTogetherNeverFailOrDeadlock() throws {
        let sources = try SampleFacts.make("lock_build_run")
        let work = try TemporaryDirectory()
        var outcomes: [Int32: Int] = [:]
        for _ in 0..<20 {
            let build = try RunningCommand(["build"], environment: sources.environment)
            let run = try RunningCommand(["run", "--out", work.url.appendingPathComponent("out").path, "--date", "2026-03-31"],
                                         environment: sources.environment)
            for finished in [build.wait(timeout: 120), run.wait(timeout: 120)] {
                XCTAssertTrue([0, 4].contains(finished.status), "exit \(finished.status): \(finished.stderr.suffix(600))")
                XCTAssertFalse(finished.stderr.contains("deadlock"), finished.stderr)
                if finished.status == 4 { XCTAssertTrue(finished.stderr.contains("mtp-etl build") || finished.stderr.contains("run "), finished.stderr) }
                outcomes[finished.status, default: 0] += 1
            }
        }
        XCTAssertEqual(outcomes[0], 40, "a run waits for a build, a build for a run: every one finishes: \(outcomes)")
    }

    func testTwoImportsOfOneFileImportItOnceAndABusyCommandNamesTheHolder() throws {
        let sources = try SourceDatabases("lock_imports")
        let file = SampleFacts.handBuilt.appendingPathComponent("order_plan_raw/2026-03-01-plan.csv")
        let first = try RunningCommand(["import-plans", file.path], environment: sources.environment)
        let second = try RunningCommand(["import-plans", file.path], environment: sources.environment)
        let results = [first.wait(), second.wait()]
        XCTAssertEqual(results.map(\.status).sorted(), [0, 0], results.map(\.stderr).joined(separator: "\n"))
        XCTAssertEqual(results.filter { $0.stderr.contains("skipped: already imported") }.count, 1, results.map(\.stderr).joined(separator: "\n"))
        XCTAssertEqual(try sources.manager.connect().query("select count(*)::int from mtp.plan_import").first!.decode(Int.self, 0), 1)

        let holder = try Connection.connect(sources.manager.conninfo, applicationName: "the operator's session")
        try holder.query("select pg_advisory_lock(7173232)")
        let started = Date()
        let busy = try CommandLineRun.run(["build"], environment: sources.environment.merging(["MTP_LOCK_WAIT": "1s"]) { $1 })
        XCTAssertEqual(busy.status, 4, busy.stderr)
        XCTAssertTrue(busy.stderr.contains("the pipeline is busy: the operator's session"), "names the holder: \(busy.stderr)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "gives up after its bound")
        try holder.query("select pg_advisory_unlock(7173232)")
    }
}
