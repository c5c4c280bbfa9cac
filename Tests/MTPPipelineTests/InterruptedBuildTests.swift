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

    /// Every facts table's rows: a count and a digest each.
    func factsDigest(_ manager: Connection) throws -> [String: String] {
        var digest: [String: String] = [:]
        for row in try manager.query("select tablename from pg_tables where schemaname = 'facts' order by 1").rows {
            let table = try row.decode(String.self, 0)
            digest[table] = try manager.query("""
                select count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from facts.\(quoteIdentifier(table)) t
                """).first!.decode(String.self, 0)
        }
        return digest
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

    func testABuildKilledMidwayLeavesTheFactsAsTheyWereAndTheNextBuildIsRight() throws {
        let sources = try SourceDatabases("interrupted_build")
        kept = sources
        let state = try TemporaryDirectory()
        _ = try SourceDatabases.stateGenerator().generate(bags: 40 * StateGenerator.bagsPerUnit, seed: "7", into: state.url)
        try FixtureLoader().load(from: state.url, system: .central, into: try sources.central.connect())
        let manager = try sources.manager.connect()
        try FixtureLoader().load(from: state.url, system: .manager, into: manager)
        try CentralPull(configuration: sources.configuration).run()
        try FactsBuild(files: SourceDatabases.files).run(manager)
        // A short day (five units of the 40, without the correction of a chain of ten): an incremental build by
        // the command's own rule (a quarter at most).
        _ = try DayGenerator(files: SourceDatabases.files, configuration: sources.configuration).addDay(seed: "7", units: 5, corrections: false)
        try CentralPull(configuration: sources.configuration).run()

        let before = try factsDigest(manager)
        let builds = try manager.query("select count(*) from mtp.fact_build").first!.decode(Int.self, 0)
        let blocker = try sources.manager.connect(), watcher = try sources.manager.connect()
        for (signal, status) in [(SIGTERM, Int32(5)), (SIGKILL, SIGKILL)] {
            let build = try startBuildHeldMidway(sources, blocker: blocker, watcher: watcher)
            build.signal(signal)
            let ended = build.wait()
            try blocker.execute("rollback")
            XCTAssertEqual(ended.status, status, "signal \(signal): \(ended.stderr)")
            try waitForBuildSessionsToEnd(watcher)
            XCTAssertEqual(try factsDigest(manager), before, "signal \(signal): the facts are those of the build before")
            XCTAssertEqual(try manager.query("select count(*) from mtp.fact_build").first!.decode(Int.self, 0), builds,
                           "signal \(signal): no build recorded")
        }

        let result = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(result.mode, .incremental, "the day's change is still pending, and built now: \(result.fullReason ?? "")")
        XCTAssertNotEqual(try factsDigest(manager), before)
        XCTAssertEqual(try FactsVerification(files: SourceDatabases.files).compare(manager).differences, [])
    }
}
