import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Pulls from Central's hot-standby replica, as operations run it: a primary and a streaming standby made with
/// `pg_basebackup -R`, clusters of the test's own.
final class CentralStandbyTests: XCTestCase {
    var primary: TestCluster!
    var standby: TestCluster!
    var manager: TestDatabase!

    /// `standbySettings`: extra settings for the standby (a test of recovery conflicts makes them immediate).
    func makeClusters(standbySettings: [String] = []) throws {
        primary = try TestCluster()
        try Connection.withConnection(primary.conninfo(database: "postgres")) { try $0.execute("create database central") }
        try FixtureInstaller(files: SourceDatabases.files).install(.central, into: try Connection.connect(primary.conninfo(database: "central")))
        try FixtureLoader().load(from: SampleFacts.handBuilt.appendingPathComponent("state"), system: .central,
                                 into: try Connection.connect(primary.conninfo(database: "central")))
        standby = try TestCluster(standbyOf: primary, settings: standbySettings)
        // A transaction the standby replays (it has a last replay time, as a standby that has run a while has).
        try Connection.withConnection(primary.conninfo(database: "central")) { try $0.execute("create table replayed (n int)") }
        manager = try TestDatabase("standby_m")
        try FixtureInstaller(files: SourceDatabases.files).install(.manager, into: try manager.connect())
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try manager.connect())
        try waitForReplay()
    }

    override func tearDown() {
        standby = nil
        primary = nil
        manager = nil
    }

    var configuration: DatabaseConfiguration {
        DatabaseConfiguration(manager: manager.conninfo, central: standby.conninfo(database: "central"))
    }

    /// Waits until the standby has replayed everything the primary wrote so far.
    func waitForReplay(timeout: TimeInterval = 60) throws {
        let target = try Connection.withConnection(primary.conninfo(database: "central")) {
            try $0.query("select pg_current_wal_lsn()::text").first!.decode(String.self, 0)
        }
        let deadline = Date().addingTimeInterval(timeout)
        try Connection.withConnection(standby.conninfo(database: "central")) { standby in
            while try !standby.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn", [target]).first!.decode(Bool.self, 0) {
                guard Date() < deadline else { throw PostgresError(code: .connection, message: "the standby did not catch up in \(timeout) s") }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    func testPullFromAStandbyWithSeveralJobsIsOneInstantAndSaysSo() throws {
        try makeClusters()
        XCTAssertTrue(try Connection.withConnection(standby.conninfo(database: "central")) {
            try $0.query("select pg_is_in_recovery()").first!.decode(Bool.self, 0)
        }, "the test's standby is in recovery")
        var pull = CentralPull(configuration: configuration)
        pull.options.jobs = 3
        let result = try pull.run()

        let manager = try manager.connect()
        let ledger = try XCTUnwrap(manager.query("""
            select source_is_standby, extract(epoch from replay_lag)::float8, wal_position::text, jobs, encrypted, outcome
              from mtp.central_pull where pull_id = $1
            """, [result.pullID]).first)
        XCTAssertEqual(try ledger.decode(Bool.self, 0), true, "the ledger says the source was a standby")
        let lag = try XCTUnwrap(ledger.decode(Double?.self, 1), "the replay lag is recorded")
        XCTAssertGreaterThanOrEqual(lag, 0)
        let wal = try XCTUnwrap(ledger.decode(String?.self, 2), "the WAL position of the instant is recorded")
        XCTAssertTrue(wal.contains("/"), "an LSN: \(wal)")
        XCTAssertEqual(try ledger.decode(Int.self, 3), 3)
        XCTAssertEqual(try ledger.decode(Bool.self, 4), false, "a Unix socket is not encrypted")
        XCTAssertEqual(try ledger.decode(String.self, 5), "succeeded")
        try Connection.withConnection(primary.conninfo(database: "central")) { central in
            for table in SourceContract.central {
                let expected = try central.query("select count(*) from \(quoteIdentifier(table.name))").first!.decode(Int.self, 0)
                let copied = try manager.query("select count(*) from snapshot.\(quoteIdentifier(table.name))").first!.decode(Int.self, 0)
                XCTAssertEqual(copied, expected, "snapshot.\(table.name) has the primary's rows")
            }
            XCTAssertGreaterThan(try central.query("select count(*) from blendsheet_allocate_shipment").first!.decode(Int.self, 0), 0,
                                 "the primary has the hand-built state")
        }

        let snapshots = try CommandLineRun.run(["snapshots"], environment: ["MTP_MANAGER_URL": self.manager.conninfo])
        XCTAssertEqual(snapshots.status, 0, snapshots.stderr)
        XCTAssertTrue(snapshots.stdout.contains("source: standby, ") && snapshots.stdout.contains("WAL \(wal)") && snapshots.stdout.contains("3 jobs"),
                      snapshots.stdout)
    }

    func testAStandbyTooFarBehindIsRefusedWithItsLag() throws {
        try makeClusters()
        let environment = ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": standby.conninfo(database: "central")]
        let first = try CommandLineRun.run(["pull-central"], environment: environment)
        XCTAssertEqual(first.status, 0, first.stderr)

        // Replay stops; the primary writes on: the standby receives WAL it does not apply.
        let standbyConnection = try Connection.connect(standby.conninfo(database: "central"))
        try standbyConnection.execute("select pg_wal_replay_pause()")
        try Connection.withConnection(primary.conninfo(database: "central")) { primary in
            try primary.execute("create table lag_marker (at timestamptz default now()); insert into lag_marker default values")
        }
        let deadline = Date().addingTimeInterval(30)
        while try !standbyConnection.query("select pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()").first!.decode(Bool.self, 0), Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 1.5)

        let refused = try CommandLineRun.run(["pull-central", "--max-replica-lag", "1s"], environment: environment)
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("behind its primary, more than --max-replica-lag 1 s; nothing copied"), refused.stderr)
        let manager = try manager.connect()
        XCTAssertEqual(try manager.query("select outcome from mtp.central_pull order by pull_id desc limit 1").first?.decode(String.self, 0), "failed")
        XCTAssertEqual(try manager.query("select max(pull_id) filter (where outcome = 'succeeded') from mtp.central_pull").first?.decode(Int64.self, 0),
                       try manager.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0),
                       "the previous snapshot stays")
        let lag = try XCTUnwrap(manager.query("select extract(epoch from replay_lag)::float8 from mtp.central_pull order by pull_id desc limit 1").first?.decode(Double?.self, 0))
        XCTAssertGreaterThan(lag, 1, "the refused pull's measured lag is in the ledger")

        // The default limit (15 min) takes the same standby.
        let accepted = try CommandLineRun.run(["pull-central"], environment: environment)
        XCTAssertEqual(accepted.status, 0, accepted.stderr)
        try standbyConnection.execute("select pg_wal_replay_resume()")
    }

    func testARecoveryConflictRetriesTheWholePull() throws {
        // No feedback to the primary and no patience on the standby: a vacuum on the primary that removes rows
        // the pull's instant can still see cancels it at once.
        try makeClusters(standbySettings: ["hot_standby_feedback = off", "max_standby_streaming_delay = 0"])
        try Connection.withConnection(primary.conninfo(database: "central")) { try $0.execute("create table conflict_bait (n int)") }
        try waitForReplay()
        let primaryConninfo = primary.conninfo(database: "central")
        let standbyConninfo = standby.conninfo(database: "central")
        let conflicted = LockedFlag()
        var pull = CentralPull(configuration: configuration, observer: CentralPull.Observer(chunkCopied: { _, _ in
            guard !conflicted.isSet else { return }
            conflicted.set()
            // While the pull's instant is open: rows deleted and vacuumed away on the primary; replaying that on
            // the standby conflicts with the instant.
            try? Connection.withConnection(primaryConninfo) { primary in
                try primary.execute("insert into conflict_bait select generate_series(1, 1000)")
                try primary.execute("delete from conflict_bait")
                try primary.execute("vacuum conflict_bait")
                let target = try primary.query("select pg_current_wal_lsn()::text").first!.decode(String.self, 0)
                try Connection.withConnection(standbyConninfo) { standby in
                    let deadline = Date().addingTimeInterval(30)
                    while try !standby.query("select pg_last_wal_replay_lsn() >= $1::pg_lsn", [target]).first!.decode(Bool.self, 0), Date() < deadline {
                        Thread.sleep(forTimeInterval: 0.05)
                    }
                }
            }
        }))
        pull.options.jobs = 2
        pull.firstBackoff = 0.05
        let result = try pull.run()

        XCTAssertTrue(conflicted.isSet)
        let manager = try manager.connect()
        let ledger = try XCTUnwrap(manager.query("select attempts, outcome from mtp.central_pull where pull_id = $1", [result.pullID]).first)
        XCTAssertEqual(try ledger.decode(Int.self, 0), 2, "the conflict cost one attempt; the second pull succeeded")
        XCTAssertEqual(try ledger.decode(String.self, 1), "succeeded")
        XCTAssertEqual(try manager.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0), result.pullID)
        XCTAssertEqual(try manager.query("select count(*) from pg_namespace where nspname = 'snapshot_next'").first?.decode(Int.self, 0), 0)
    }
}
