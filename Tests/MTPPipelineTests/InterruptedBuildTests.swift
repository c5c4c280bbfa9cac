import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// An incremental build stopped half way (issue 20): it writes the facts in place, in one transaction, so
/// SIGTERM or kill -9 after it has rewritten part of them leaves the facts as they were, and the next build
/// recomputes the same change and makes what a full build makes.
final class InterruptedBuildTests: XCTestCase {
    /// The test's databases, kept for as long as the test runs.
    var kept: SourceDatabases?

    /// Drops the databases now: XCTest keeps every test case alive until the whole run ends.
    override func tearDown() {
        kept = nil
        super.tearDown()
    }

    /// Starts `mtp-etl build` while `blocker` holds facts.finding (written after the records, batches and
    /// shipments), and returns once the build has written rows and waits there: midway. Only an incremental
    /// build writes facts.finding in place (a full one writes facts_next and touches facts only to swap).
    func startBuildHeldMidway(_ sources: SourceDatabases, blocker: Connection, watcher: Connection) throws -> RunningCommand {
        try blocker.execute("begin")
        try blocker.execute("lock table facts.finding in access exclusive mode")
        let build = try RunningCommand(["build"], environment: sources.environment)
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let waiting = try watcher.query("""
                select count(*) from pg_stat_activity
                 where application_name = 'mtp-etl build' and wait_event_type = 'Lock' and backend_xid is not null
                   and query ilike '%finding%'
                """).first!.decode(Int.self, 0)
            if waiting > 0 { return build }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let sessions = try watcher.query("""
            select coalesce(wait_event_type, '-') || ' ' || coalesce(backend_xid::text, '-') || ' ' || left(query, 300)
              from pg_stat_activity where application_name = 'mtp-etl build'
            """).rows.map { try $0.decode(String.self, 0) }
        build.signal(SIGKILL)
        XCTFail("the build never wrote rows and waited for facts.finding: \(sessions)")
        return build
    }

    /// Waits until the server has ended every session of the build (a killed client's backend ends when it
    /// next writes to it).
    func waitForBuildSessionsToEnd(_ watcher: Connection) throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try watcher.query("select count(*) from pg_stat_activity where application_name = 'mtp-etl build'").first!.decode(Int.self, 0) == 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("the build's session outlived its process")
    }

    /// Databases with a generated state of `units` units loaded and pulled (nothing built).
    func generatedState(_ prefix: String, units: Int, seed: String) throws -> (SourceDatabases, Connection) {
        let sources = try SourceDatabases(prefix)
        kept = sources
        let state = try TemporaryDirectory()
        _ = try SourceDatabases.stateGenerator().generate(bags: units * StateGenerator.bagsPerUnit, seed: seed, into: state.url)
        try FixtureLoader().load(from: state.url, system: .central, into: try sources.central.connect())
        let manager = try sources.manager.connect()
        try FixtureLoader().load(from: state.url, system: .manager, into: manager)
        try CentralPull(configuration: sources.configuration).run()
        return (sources, manager)
    }

    /// Stops `build` (held by `blocker`) by `signal` and checks that it ended with `status` and left the facts
    /// (`facts`, a digest) and the ledger (`builds` builds) as they were.
    func stop(_ build: RunningCommand, by signal: Int32, endingWith status: Int32, blocker: Connection, watcher: Connection,
              manager: Connection, facts: [String: String], builds: Int) throws {
        build.signal(signal)
        let ended = build.wait()
        try blocker.execute("rollback")
        XCTAssertEqual(ended.status, status, "signal \(signal): \(ended.stderr)")
        try waitForBuildSessionsToEnd(watcher)
        XCTAssertEqual(try FactsChecks.digest(manager), facts, "signal \(signal): the facts are those of the build before")
        XCTAssertEqual(try manager.query("select count(*) from mtp.fact_build").first!.decode(Int.self, 0), builds,
                       "signal \(signal): no build recorded")
    }

    func testABuildKilledMidwayLeavesTheFactsAsTheyWereAndTheNextBuildIsRight() throws {
        let (sources, manager) = try generatedState("interrupted_build", units: 40, seed: "7")
        try FactsBuild(files: SourceDatabases.files).run(manager)
        // A short day (five units of the 40, without the correction of a chain of ten): an incremental build by
        // the command's own rule (a quarter at most).
        _ = try DayGenerator(files: SourceDatabases.files, configuration: sources.configuration).addDay(seed: "7", units: 5, corrections: false)
        try CentralPull(configuration: sources.configuration).run()

        let before = try FactsChecks.digest(manager)
        let builds = try manager.query("select count(*) from mtp.fact_build").first!.decode(Int.self, 0)
        let blocker = try sources.manager.connect(), watcher = try sources.manager.connect()
        for (signal, status) in [(SIGTERM, Int32(5)), (SIGKILL, SIGKILL)] {
            let build = try startBuildHeldMidway(sources, blocker: blocker, watcher: watcher)
            try stop(build, by: signal, endingWith: status, blocker: blocker, watcher: watcher, manager: manager, facts: before, builds: builds)
        }

        let result = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(result.mode, .incremental, "the day's change is still pending, and built now: \(result.fullReason ?? "")")
        XCTAssertNotEqual(try FactsChecks.digest(manager), before)
        XCTAssertEqual(try FactsVerification(files: SourceDatabases.files).compare(manager).differences, [])
    }

    /// A full build runs its parts on several connections, each committing into `facts_next` (issue 20): it
    /// builds what one transaction builds, publishes nothing until its last transaction, and SIGTERM or kill -9
    /// while parts have committed and others run leaves the facts as they were; the next full build drops what the
    /// interrupted one left and is right.
    func testAFullBuildOnSeveralConnectionsInterruptedMidwayLeavesTheFactsAsTheyWere() throws {
        let (sources, manager) = try generatedState("interrupted_full_build", units: 20, seed: "5")
        let conninfo = sources.manager.conninfo
        let result = try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(full: true, jobs: 3, connect: {
            try Connection.connect(conninfo, applicationName: "mtp-etl build")
        }))
        XCTAssertEqual(result.mode, .full)
        XCTAssertEqual(try FactsVerification(files: SourceDatabases.files).compare(manager).differences, [],
                       "the parts on three connections build what one transaction builds")
        let definition = try BuildDefinition(files: SourceDatabases.files)
        XCTAssertEqual(try manager.query("select count(*) from facts.build_part where seconds >= 0").first!.decode(Int.self, 0), definition.fullBuildParts.count,
                       "each part's seconds are kept for the next full build's schedule")
        XCTAssertEqual(try manager.query("""
            select count(*) from pg_tables where schemaname = 'facts_next' or (schemaname = 'facts' and tablename like 'scope%')
            """).first!.decode(Int.self, 0), 0, "nothing of the build's own is left")

        let before = try FactsChecks.digest(manager)
        let builds = try manager.query("select count(*) from mtp.fact_build").first!.decode(Int.self, 0)
        let blocker = try sources.manager.connect(), watcher = try sources.manager.connect()
        for (signal, status) in [(SIGTERM, Int32(5)), (SIGKILL, SIGKILL)] {
            // The blendsheets' recipes are read late (their scope, the ingredients), the record early: held there,
            // the build has committed parts and waits with others.
            try blocker.execute("begin")
            try blocker.execute("lock table snapshot.blendsheet_mix_tealine in access exclusive mode")
            let build = try RunningCommand(["build", "--full"], environment: sources.environment)
            let deadline = Date().addingTimeInterval(60)
            var midway = false
            while Date() < deadline, !midway {
                midway = try watcher.query("""
                    select to_regclass('facts_next.record') is not null
                       and exists (select 1 from pg_stat_activity where application_name = 'mtp-etl build' and wait_event_type = 'Lock')
                    """).first!.decode(Bool.self, 0)
                if !midway { Thread.sleep(forTimeInterval: 0.05) }
            }
            XCTAssertTrue(midway, "signal \(signal): the build committed parts and waits")
            try stop(build, by: signal, endingWith: status, blocker: blocker, watcher: watcher, manager: manager, facts: before, builds: builds)
        }
        let next = try CommandLineRun.run(["build", "--full", "--verify"], environment: sources.environment)
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertTrue(next.stdout.contains("full build"), next.stdout)
        XCTAssertEqual(try manager.query("select count(*) from pg_namespace where nspname = 'facts_next'").first!.decode(Int.self, 0), 0,
                       "what the interrupted builds left is gone")
        XCTAssertEqual(try FactsChecks.digest(manager).filter { !["build", "build_part"].contains($0.key) }, before.filter { !["build", "build_part"].contains($0.key) },
                       "the same facts again")
    }
}
