import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// A pull after the first changes the snapshot in place (issue 20): Central's tables are copied into unlogged
/// staging, compared with the snapshot, and only what changed is applied, so that the snapshot keeps its tables,
/// indexes and statistics; a snapshot laid out by another version is written whole again.
final class SnapshotInPlaceTests: XCTestCase {
    /// The test's databases, dropped with it.
    var sources: SourceDatabases?

    override func tearDown() {
        sources = nil
        super.tearDown()
    }

    func pull(_ sources: SourceDatabases) throws {
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
    }

    /// A build never full for its size: the hand-built state is small, and every change is a large share of it.
    func build(_ manager: Connection) throws -> FactsBuild.Result {
        try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(fullThreshold: .infinity))
    }

    func oid(_ relation: String, _ manager: Connection) throws -> Int64 {
        try manager.query("select $1::regclass::oid::bigint", [relation]).first!.decode(Int64.self, 0)
    }

    func testAPullAfterABuildChangesTheSnapshotInPlaceAndItHoldsCentralsRows() throws {
        let sources = try SourceDatabases("snapshot_in_place")
        self.sources = sources
        let central = try sources.central.connect(), manager = try sources.manager.connect()
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: central)
        try FixtureLoader().load(from: state, system: .manager, into: manager)
        try pull(sources)
        try FactsBuild(files: SourceDatabases.files).run(manager)
        let table = try oid("snapshot.tealine_record", manager), index = try oid("snapshot.tealine_record_pkey", manager)
        // Nothing changed: the same tables, and no changes.
        try pull(sources)
        XCTAssertEqual(try oid("snapshot.tealine_record", manager), table)
        XCTAssertEqual(try manager.query("select count(*)::int from snapshot.delta_tealine_record").first!.decode(Int.self, 0), 0)
        let deltaOID = try oid("snapshot.delta_tealine_record", manager)

        // An update in place, a late bag, a deleted allocation: changed in place, the rest untouched.
        try central.execute("update tealine_record set gross_weight = gross_weight + 1 where barcode = (select barcode from tealine_record order by barcode limit 1)")
        var changes = RandomChanges(seed: 7, central: central, manager: manager)
        _ = try changes.applySequence(1)
        try central.execute("""
            delete from tealine_allocate_blendsheet
             where (barcode, item_code, created_ts) = (select barcode, item_code, created_ts from tealine_allocate_blendsheet order by 1, 2, 3 limit 1)
            """)
        try pull(sources)
        XCTAssertEqual(try oid("snapshot.tealine_record", manager), table, "the same table, changed in place")
        XCTAssertEqual(try oid("snapshot.tealine_record_pkey", manager), index, "its index kept")
        XCTAssertNotEqual(try oid("snapshot.delta_tealine_record", manager), deltaOID, "the changes are this pull's")
        XCTAssertEqual(try SnapshotDigest.differingTables(central: central, manager: manager), [])
        let first = "(select barcode from snapshot.tealine_record order by barcode limit 1)"
        XCTAssertEqual(try manager.query("select string_agg(side, ',' order by side) from snapshot.delta_tealine_record where barcode = \(first)")
            .first!.decode(String.self, 0), "new,old", "an update: both sides")
        let oldRows = "select count(*)::int from snapshot.delta_tealine_record where side = 'old'"
        let afterOne = try manager.query(oldRows).first!.decode(Int.self, 0)
        XCTAssertGreaterThanOrEqual(try manager.query("select count(*)::int from snapshot.delta_tealine_allocate_blendsheet where side = 'old'").first!.decode(Int.self, 0), 1)
        XCTAssertEqual(try manager.query("select to_regnamespace('snapshot_next') is null").first!.decode(Bool.self, 0), true, "staging dropped")
        let pulls = try manager.query("select pull_id from mtp.central_pull where outcome = 'succeeded' order by pull_id").rows.map { try $0.decode(Int64.self, 0) }
        XCTAssertEqual(try manager.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0), pulls.last)
        XCTAssertEqual(try manager.query("select base_pull_id from snapshot.change_base").first!.decode(Int64.self, 0), pulls.first,
                       "the changes lead from the facts' snapshot")

        // A second pull without a build: its changes join the first's (the facts are older still).
        try central.execute("update tealine_record set status = 'PROCESSED' where barcode = (select barcode from tealine_record order by barcode desc limit 1)")
        try pull(sources)
        XCTAssertEqual(try oid("snapshot.tealine_record", manager), table)
        XCTAssertEqual(try SnapshotDigest.differingTables(central: central, manager: manager), [])
        XCTAssertEqual(try manager.query(oldRows).first!.decode(Int.self, 0), afterOne + 1, "carried on: both pulls' changes")
        XCTAssertEqual(try build(manager).mode, .incremental)
        XCTAssertEqual(try FactsVerification(files: SourceDatabases.files).compare(manager).differences, [])

        // A key Central holds twice refuses the pull, and the snapshot stays as it was.
        try central.execute("alter table blendsheet_mix_tealine drop constraint blendsheet_mix_tealine_pkey")
        try central.execute("insert into blendsheet_mix_tealine select * from blendsheet_mix_tealine limit 1")
        XCTAssertThrowsError(try pull(sources)) { error in
            XCTAssertTrue("\(error)".contains("could not create unique index"), "\(error)")
        }
        XCTAssertEqual(try oid("snapshot.tealine_record", manager), table)
        XCTAssertEqual(try manager.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0), pulls.last.map { $0 + 1 })
        try central.execute("delete from blendsheet_mix_tealine a using blendsheet_mix_tealine b where a.ctid > b.ctid and (a.blendsheet_no, a.item_code, a.created_ts) = (b.blendsheet_no, b.item_code, b.created_ts)")

        // A snapshot laid out by another version (an earlier one has no layout) is written whole again.
        try manager.execute("drop table snapshot.layout")
        try pull(sources)
        XCTAssertNotEqual(try oid("snapshot.tealine_record", manager), table, "written whole")
        XCTAssertEqual(try SnapshotDigest.differingTables(central: central, manager: manager), [])
        XCTAssertEqual(try manager.query("select count(*)::int from snapshot.layout").first!.decode(Int.self, 0), 1)
        XCTAssertEqual(try build(manager).mode, .incremental, "its changes were found all the same")
        XCTAssertEqual(try FactsVerification(files: SourceDatabases.files).compare(manager).differences, [])

        // An index of the snapshot dropped by hand: the next pull writes the snapshot whole, with the index again.
        let rewritten = try oid("snapshot.tealine_record", manager)
        let indexes = "select count(*)::int from pg_indexes where schemaname = 'snapshot' and tablename = 'tealine_record'"
        let indexCount = try manager.query(indexes).first!.decode(Int.self, 0)
        try manager.execute("drop index snapshot.tealine_record_item_code_created_ts_idx")
        try pull(sources)
        XCTAssertNotEqual(try oid("snapshot.tealine_record", manager), rewritten, "written whole")
        XCTAssertEqual(try manager.query(indexes).first!.decode(Int.self, 0), indexCount)
        XCTAssertEqual(try SnapshotDigest.differingTables(central: central, manager: manager), [])
    }
}
