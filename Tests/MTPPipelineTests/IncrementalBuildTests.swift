import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The incremental build against a full one (issue 20): after every random change to Central (through its own
/// triggers) and to Manager's order tables, a pull and an incremental build give facts equal, row for row, to
/// a full build of the same data (`FactsVerification`, EXCEPT ALL both ways on every fact table).
final class IncrementalBuildTests: XCTestCase {
    /// The test's databases, kept for as long as the test runs (they are dropped with it).
    var sources: SourceDatabases?

    /// Drops the databases now: XCTest keeps every test case alive until the whole run ends.
    override func tearDown() {
        sources = nil
        super.tearDown()
    }

    func handBuilt(_ name: String) throws -> (central: Connection, manager: Connection, sources: SourceDatabases) {
        let sources = try SourceDatabases(name)
        self.sources = sources
        let central = try sources.central.connect(), manager = try sources.manager.connect()
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: central)
        try FixtureLoader().load(from: state, system: .manager, into: manager)
        return (central, manager, sources)
    }

    /// A pull, then the snapshot it wrote (whole, or changed in place) against Central, table by table.
    func pull(_ sources: SourceDatabases, file: StaticString = #filePath, line: UInt = #line) throws {
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        XCTAssertEqual(try SnapshotDigest.differingTables(central: sources.central.connect(), manager: sources.manager.connect()), [],
                       "the snapshot holds Central's rows", file: file, line: line)
    }

    func pullAndBuild(_ sources: SourceDatabases, _ manager: Connection, full: Bool = false) throws -> FactsBuild.Result {
        try pull(sources)
        // Never full for its size: the small states of the tests are all change, and the planner's row counts
        // the threshold is measured against lag behind a state that random changes grow (autovacuum's timing).
        return try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(full: full, fullThreshold: .infinity))
    }

    func assertEqualToFullBuild(_ manager: Connection, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let outcome = try FactsVerification(files: SourceDatabases.files).compare(manager)
        XCTAssertGreaterThanOrEqual(outcome.tables.count, 17, "every fact table is compared", file: file, line: line)
        XCTAssertEqual(outcome.differences, [], "after \(context)", file: file, line: line)
        try assertSeenIsManagers(manager, context, file: file, line: line)
    }

    /// What the facts read of Manager (`seen_*`, kept up to date key by key by an incremental build) is Manager's
    /// order tables as they are, row for row.
    func assertSeenIsManagers(_ manager: Connection, _ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for contract in SourceContract.manager {
            let table = contract.name, columns = contract.columns.map(\.name).joined(separator: ", ")
            let differing = try manager.query("""
                select (select count(*)::int from (select \(columns) from public.\(table) except all select \(columns) from facts.seen_\(table)) a),
                       (select count(*)::int from (select \(columns) from facts.seen_\(table) except all select \(columns) from public.\(table)) b)
                """).first!
            XCTAssertEqual([try differing.decode(Int.self, 0), try differing.decode(Int.self, 1)], [0, 0],
                           "seen_\(table) after \(context)", file: file, line: line)
        }
    }

    /// A pull and an incremental build, proven equal to a full one after `context`.
    @discardableResult
    func buildIncrementally(_ sources: SourceDatabases, _ manager: Connection, after context: String,
                            file: StaticString = #filePath, line: UInt = #line) throws -> FactsBuild.Result {
        let result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .incremental, context, file: file, line: line)
        try assertEqualToFullBuild(manager, context, file: file, line: line)
        return result
    }

    /// How many keys of `kind` a build recomputed.
    func recomputed(_ result: FactsBuild.Result, _ kind: String) -> Int {
        result.keys.filter { $0.kind == kind }.map(\.count).reduce(0, +)
    }

    /// A Manager whose order table is keyed by a column the pipeline does not read (a surrogate id): its copy is
    /// not keyed, and is compared and copied whole, in an incremental build and in a full one.
    func testAManagerTableKeyedByAColumnThePipelineDoesNotReadIsCopiedWhole() throws {
        let (_, manager, sources) = try handBuilt("incremental_surrogate")
        _ = try pullAndBuild(sources, manager)
        try manager.execute("""
            alter table order_plan drop constraint order_plan_pkey;
            alter table order_plan add column plan_id bigserial primary key;
            update order_plan set requirement = requirement + 1 where order_code = (select min(order_code) from order_plan)
            """)
        let result = try buildIncrementally(sources, manager, after: "a plan of a table keyed by a surrogate")
        XCTAssertGreaterThan(recomputed(result, "orders"), 0)
        XCTAssertEqual(try pullAndBuild(sources, manager, full: true).mode, .full)
        XCTAssertEqual(try manager.query("select count(*)::int from pg_constraint where conrelid = 'facts.seen_order_plan'::regclass and contype = 'p'")
                        .first!.decode(Int.self, 0), 0, "the copy has no key of a column it does not hold")
        try manager.execute("update order_plan set requirement = requirement + 1 where order_code = (select max(order_code) from order_plan)")
        try buildIncrementally(sources, manager, after: "after a full build of it")
    }

    /// A Manager whose order table lost its primary key: rows twice, a row without its key. The incremental build
    /// finds each change as EXCEPT ALL does (how many times a row is there), and what it read stays Manager's
    /// (``assertEqualToFullBuild(_:_:file:line:)`` holds the copy to Manager's table).
    func testManagerRowsTwiceOrWithoutTheirKeyAreReadAsManagerHasThem() throws {
        let (_, manager, sources) = try handBuilt("incremental_seen")
        _ = try pullAndBuild(sources, manager)
        try manager.execute("""
            alter table order_shipment_event drop constraint order_shipment_event_pkey;
            alter table order_shipment_event alter column status drop not null;
            insert into order_shipment_event select * from order_shipment_event where ctid = (select min(ctid) from order_shipment_event)
            """)
        let result = try buildIncrementally(sources, manager, after: "a row twice")
        XCTAssertGreaterThan(recomputed(result, "shipments"), 0, "a row twice is a change of its shipment")

        try manager.execute("""
            update order_shipment_event set status = null, shipment_remarks = 'no status'
             where ctid = (select max(ctid) from order_shipment_event)
            """)
        try buildIncrementally(sources, manager, after: "a row without its key")

        try manager.execute("delete from order_shipment_event where status is null or ctid = (select max(ctid) from order_shipment_event)")
        try buildIncrementally(sources, manager, after: "both removed")
    }

    func testFirstBuildIsFullThenIncrementalAndChangesOfEveryKindAreFound() throws {
        let (central, manager, sources) = try handBuilt("incremental_kinds")
        var result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .full)
        XCTAssertEqual(result.fullReason, "no facts yet: the first build")
        result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .incremental, "the same data again: nothing to recompute")
        XCTAssertEqual(result.keys.map(\.count).reduce(0, +), 0)

        // A late bag with an old time stamp allocated into a finished batch: every batch downstream of it (B-2
        // took B-1's balance) and their shipments are recomputed, found by the change, not by a time stamp.
        try central.execute("""
            insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
            values ('TL-LATE', 1500, 'INV-L', 'BOP', 1, 10, 'broker', 'garden', 'PO-L')
            """)
        try central.execute("""
            insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            values ('00000000-0000-0000-0000-00000000f001', 'TL-LATE', 1500, 1600, 'WH-A', 0.5, 10.5, 'ACCEPTED', 10)
            """)
        try central.execute("insert into tealine_allocate_blendsheet values ('00000000-0000-0000-0000-00000000f001', 'B-1', 3000, 4)")
        result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .incremental)
        let keys = Dictionary(result.keys.map { ($0.kind, $0.count) }, uniquingKeysWith: +)
        XCTAssertGreaterThanOrEqual(keys["batches"] ?? 0, 2, "B-1 and B-2 downstream of it: \(keys)")
        XCTAssertGreaterThanOrEqual(keys["bags"] ?? 0, 1)
        try assertEqualToFullBuild(manager, "a late bag into a finished batch")

        // An update in place, a delete, and Manager's order tables read live.
        try central.execute("update blendsheet_batch set trader_status = 'TRADER_BLOCKED' where item_code = 'B-1'")
        try central.execute("delete from tealine_allocate_blendsheet where barcode = '00000000-0000-0000-0000-00000000f001'")
        try manager.execute("update order_plan set requirement = requirement + 5")
        try manager.execute("delete from order_shipment_event where ctid = (select min(ctid) from order_shipment_event)")
        result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .incremental)
        XCTAssertGreaterThan(recomputed(result, "orders"), 0)
        try assertEqualToFullBuild(manager, "an update, a delete and Manager's changes")

        // Two pulls without a build between them: the second carries the first's changes on. A bag new since the
        // facts, allocated in the first and its allocation changed in the second, counts what it has now (its
        // allocations are read from the changes, where the first pull's row is new and then old again).
        try central.execute("update tealine_record set status = 'PROCESSED' where barcode = (select barcode from tealine_record order by barcode limit 1)")
        try central.execute("""
            insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
            values ('TL-LATE2', 1500, 'INV-L2', 'BOP', 1, 10, 'broker', 'garden', 'PO-L2')
            """)
        try central.execute("""
            insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            values ('00000000-0000-0000-0000-00000000f002', 'TL-LATE2', 1500, 1700, 'WH-A', 0.5, 10.5, 'ACCEPTED', 10)
            """)
        try central.execute("insert into tealine_allocate_blendsheet values ('00000000-0000-0000-0000-00000000f002', 'B-1', 3000, 4)")
        try pull(sources)
        try central.execute("update blendsheet_batch set trader_status = 'TRADER_ALLOWED' where item_code = 'B-1'")
        try central.execute("update tealine_allocate_blendsheet set amount = 3 where barcode = '00000000-0000-0000-0000-00000000f002'")
        result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .incremental)
        try assertEqualToFullBuild(manager, "two pulls between builds")
        let allocated = try manager.query("select allocated_kg::float8 from facts.record where barcode = '00000000-0000-0000-0000-00000000f002'")
        XCTAssertEqual(try allocated.first?.decode(Double.self, 0), 3, "the allocation as it is now, once")

        // --full, and the ledger keeps how each build was made.
        result = try pullAndBuild(sources, manager, full: true)
        XCTAssertEqual(result.mode, .full)
        XCTAssertEqual(result.fullReason, "asked for with --full")
        let ledger = try manager.query("select mode, keys_recomputed is not null, seconds > 0 from mtp.fact_build order by build_id").rows
        XCTAssertEqual(try ledger.map { try $0.decode(String.self, 0) }, ["full", "incremental", "incremental", "incremental", "incremental", "full"])
        XCTAssertTrue(try ledger.allSatisfy { try $0.decode(Bool.self, 1) && $0.decode(Bool.self, 2) })
    }

    func testAChangedDefinitionOrAnOlderSnapshotMakesAFullBuildAndSaysWhy() throws {
        let (_, manager, sources) = try handBuilt("incremental_reasons")
        _ = try pullAndBuild(sources, manager)
        try manager.execute("update facts.build set definition = 'an earlier definition'")
        var result = try pullAndBuild(sources, manager)
        XCTAssertEqual(result.mode, .full)
        XCTAssertEqual(result.fullReason, "the facts were built by other definitions (sql/build, a migration or the source contract changed)")
        // Changes that do not lead from the facts' snapshot (the pull's base is another snapshot).
        try pull(sources)
        try manager.execute("update snapshot.change_base set base_pull_id = -1")
        result = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(result.mode, .full)
        XCTAssertTrue(result.fullReason?.hasPrefix("the snapshot's changes do not lead from the facts' snapshot") ?? false, result.fullReason ?? "")
        // A change reaching more than the threshold of the bags.
        try pull(sources)
        result = try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(fullThreshold: 0))
        XCTAssertEqual(result.mode, .incremental, "nothing changed: nothing reached")
        try sources.central.connect().execute("update tealine_record set status = 'PROCESSED'")
        try pull(sources)
        result = try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(fullThreshold: 0.1))
        XCTAssertEqual(result.mode, .full)
        XCTAssertTrue(result.fullReason?.hasPrefix("the change reaches") ?? false, result.fullReason ?? "")
    }

    func testRandomChangeSequencesOnTheHandBuiltStateBuildAsAFullBuildDoes() throws {
        let (central, manager, sources) = try handBuilt("incremental_random")
        _ = try pullAndBuild(sources, manager)
        var changes = RandomChanges(seed: 20_261_202, central: central, manager: manager)
        var applied: [String: Int] = [:]
        for sequence in 1...Self.sequences {
            let kinds = try changes.applySequence(sequence)
            for kind in kinds { applied[kind, default: 0] += 1 }
            let result = try pullAndBuild(sources, manager)
            XCTAssertEqual(result.mode, .incremental, "sequence \(sequence) (\(kinds)): \(result.fullReason ?? "")")
            try assertEqualToFullBuild(manager, "sequence \(sequence): \(kinds)")
            if testRun?.failureCount ?? 0 > 0 { break }
        }
        XCTAssertGreaterThanOrEqual(applied.count, 10, "changes of many kinds were applied: \(applied.sorted { $0.key < $1.key })")
    }

    func testRandomChangeSequencesOnASmallGeneratedStateBuildAsAFullBuildDoes() throws {
        let sources = try SourceDatabases("incremental_generated")
        self.sources = sources
        let central = try sources.central.connect(), manager = try sources.manager.connect()
        let state = try TemporaryDirectory()
        _ = try SourceDatabases.stateGenerator().generate(bags: 3_000, seed: "7", into: state.url)
        try FixtureLoader().load(from: state.url, system: .central, into: central)
        try FixtureLoader().load(from: state.url, system: .manager, into: manager)
        _ = try pullAndBuild(sources, manager)
        var changes = RandomChanges(seed: 7_007, central: central, manager: manager)
        for sequence in 1...(Self.sequences / 2) {
            let kinds = try changes.applySequence(sequence)
            let result = try pullAndBuild(sources, manager)
            XCTAssertEqual(result.mode, .incremental, "sequence \(sequence) (\(kinds)): \(result.fullReason ?? "")")
            try assertEqualToFullBuild(manager, "sequence \(sequence): \(kinds)")
            if testRun?.failureCount ?? 0 > 0 { break }
        }
    }

    /// Random change sequences (one to three changes each, then a pull and a build) on the hand-built state, and
    /// half as many on the generated one: 210 in all.
    static let sequences = 140
}
