import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class CentralPullTests: XCTestCase {
    var sources: SourceDatabases!
    var central: Connection!
    var manager: Connection!

    override func setUpWithError() throws {
        sources = try SourceDatabases("pull")
        central = try sources.central.connect()
        manager = try sources.manager.connect()
        try central.execute(Self.smallState)
    }

    override func tearDown() {
        central = nil
        manager = nil
        sources = nil
    }

    /// A little of every table, through Central's own rules.
    static let smallState = """
        insert into store_location values ('WH-A', false), ('HERB-1', true);
        insert into item values ('TL-1', 1700000000000);
        insert into tealine values ('TL-1', 1700000000000, 'INV-9', 'BOP', 4, 50.00, 'Forbes', 'Pedro', 'PO-1');
        insert into herbline values ('HB-1', 1700000000000, 'Mint', 'PO-2', 20);
        insert into blendsheet values ('BS-1', 'STD', 'BOP', 'none', 2, 200.00, 'BLD-1');
        insert into flavorsheet values ('FS-1', 'FL-1', 'none');
        insert into blendsheet_batch values ('B-1', 1700000100000, 'BS-1', true, 0.5, 0.4, 'TRADER_ALLOWED');
        insert into flavorsheet_batch values ('F-1', 1700000100000, 'FS-1', false);
        insert into blendbalance values ('BB-1', 1700000200000, 'BLD-1', 30.00, 'opening');
        insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('00000000-0000-0000-0000-000000000001', 'TL-1', 1700000000000, 1700000000500, 'WH-A', 1.00, 51.00, 'x', 0),
                    ('00000000-0000-0000-0000-000000000002', 'TL-1', 1700000000000, 1700000000600, 'WH-A', 1.00, 50.50, 'x', 0);
        insert into herbline_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('HB-1', 1700000000000, 'HERB-1', 0.5, 10.5, 'x', 0);
        insert into blendbalance_record (barcode, item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('00000000-0000-0000-0000-00000000bb01', 'BB-1', 1700000200000, 'WH-A', 0.5, 20.5, 'x', 0);
        insert into blendsheet_record (barcode, item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('00000000-0000-0000-0000-0000000000b1', 'B-1', 1700000100000, 'WH-A', 1.00, 80.00, 'x', 0);
        insert into flavorsheet_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('F-1', 1700000100000, 'WH-A', 0.25, 5.25, 'x', 0);
        insert into tealine_allocate_blendsheet values ('00000000-0000-0000-0000-000000000001', 'B-1', 1700000100000, 50);
        insert into blendbalance_allocate_blendsheet values ('00000000-0000-0000-0000-00000000bb01', 'B-1', 1700000100000, 20);
        insert into tealine_allocate_shipment values ('00000000-0000-0000-0000-000000000002', 41, 1, 49.5, 0);
        insert into blendsheet_allocate_shipment values ('00000000-0000-0000-0000-0000000000b1', 41, 1, 79, 0);
        insert into tealine_allocate_parcel values ('00000000-0000-0000-0000-000000000002', 41, 1, 7, 10);
        insert into blendsheet_allocate_parcel values ('00000000-0000-0000-0000-0000000000b1', 41, 1, 7, 30);
        insert into blendsheet_mix_tealine values ('BS-1', 'TL-1', 1700000000000, 1);
        insert into blendsheet_mix_blendbalance values ('BS-1', 'BB-1', 1700000200000, 20);
        insert into flavorsheet_mix values ('FS-1', 'HB-1', 1700000000000, 5);
        """

    @discardableResult
    func pull(_ observer: CentralPull.Observer = .init(), jobs: Int? = nil) throws -> CentralPull.Result {
        var pull = CentralPull(configuration: sources.configuration, observer: observer)
        pull.firstBackoff = 0.05
        pull.options.jobs = jobs
        return try pull.run()
    }

    /// Row count and an order-independent checksum of the contract columns of one table.
    func fingerprint(_ connection: Connection, schema: String, table: SourceContract.Table) throws -> String {
        let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        return try connection.query("""
            select count(*) || ':' || coalesce(md5(string_agg(row_text, '|' order by row_text)), '')
              from (select (\(columns))::text as row_text from \(quoteIdentifier(schema)).\(quoteIdentifier(table.name))) t
            """).first!.decode(String.self, 0)
    }

    func testEveryJobCopiesAtOnceEvenOnFewCores() throws {
        // Each table held a moment: jobs that really run at once each take tables while the others hold theirs.
        let readers = LockedSet()
        let result = try pull(CentralPull.Observer(tableStarted: { _, centralPID in
            readers.insert(centralPID)
            Thread.sleep(forTimeInterval: 0.05)
        }), jobs: 4)
        XCTAssertEqual(readers.count, 4, "four Central sessions copied tables (machine: \(ProcessInfo.processInfo.activeProcessorCount) cores)")
        XCTAssertEqual(result.tables.count, SourceContract.central.count)
    }

    func testSnapshotEqualsCentralTableByTable() throws {
        let result = try pull()
        XCTAssertEqual(result.tables.map(\.name), SourceContract.central.map(\.name))
        for table in SourceContract.central {
            XCTAssertEqual(try fingerprint(manager, schema: "snapshot", table: table), try fingerprint(central, schema: "public", table: table), table.name)
        }
        XCTAssertGreaterThan(result.totalRows, 20)
        let ledger = try XCTUnwrap(manager.query("""
            select outcome, rows_total, central_database, system_identifier is not null, snapshot_at is not null,
                   (select count(*) from mtp.central_pull_table t where t.pull_id = p.pull_id)
              from mtp.central_pull p where pull_id = $1
            """, [result.pullID]).first)
        XCTAssertEqual(try ledger.decode(String.self, 0), "succeeded")
        XCTAssertEqual(try ledger.decode(Int.self, 1), result.totalRows)
        XCTAssertEqual(try ledger.decode(String.self, 2), sources.central.name)
        XCTAssertEqual(try ledger.decode(Bool.self, 3), true)
        XCTAssertEqual(try ledger.decode(Bool.self, 4), true)
        XCTAssertEqual(try ledger.decode(Int.self, 5), SourceContract.central.count)
        // Epoch milliseconds stay, with a timestamptz twin.
        let times = try XCTUnwrap(manager.query("""
            select received_ts, received_at = timestamptz '2023-11-14 22:13:20.5+00'
              from snapshot.tealine_record where barcode = '00000000-0000-0000-0000-000000000001'
            """).first)
        XCTAssertEqual(try times.decode(Int64.self, 0), 1_700_000_000_500)
        XCTAssertEqual(try times.decode(Bool.self, 1), true)
        XCTAssertEqual(try manager.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0), result.pullID)
    }

    func testCentralSessionIsReadOnly() throws {
        let connection = try CentralPull.connectReadOnly(sources.central.conninfo)
        XCTAssertThrowsError(try connection.query("insert into store_location values ($1, false)", ["WH-Z"])) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "25006")
        }
        XCTAssertEqual(try connection.query("show default_transaction_read_only").first?.decode(String.self, 0), "on")
        XCTAssertEqual(try central.query("select count(*) from store_location where location_name = 'WH-Z'").first?.decode(Int.self, 0), 0)
    }

    func testDriftIsNamedBeforeAnythingIsCopied() throws {
        try pull()
        let before = try fingerprint(manager, schema: "snapshot", table: SourceContract.central.first { $0.name == "tealine" }!)
        try central.execute("alter table tealine drop column garden; alter table blendsheet_batch alter column density type text")
        XCTAssertThrowsError(try pull()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("column tealine.garden is missing"), text)
            XCTAssertTrue(text.contains("column blendsheet_batch.density has type text, expected real"), text)
            XCTAssertEqual(ExitStatus(for: error), .operational)
        }
        XCTAssertEqual(try fingerprint(manager, schema: "snapshot", table: SourceContract.central.first { $0.name == "tealine" }!), before)
        XCTAssertEqual(try manager.query("select outcome from mtp.central_pull order by pull_id desc limit 1").first?.decode(String.self, 0), "failed")

        let fresh = try SourceDatabases("pulladd")
        let freshCentral = try fresh.central.connect()
        try freshCentral.execute(Self.smallState + "; alter table tealine_record add column colour text")
        var added = CentralPull(configuration: fresh.configuration)
        added.firstBackoff = 0.05
        let result = try added.run()
        XCTAssertEqual(result.notices, ["central: table tealine_record has columns the pipeline ignores: colour"])
    }

    func testTerminatedMidCopyLeavesThePreviousSnapshotAndTheNextPullSucceeds() throws {
        let first = try pull()
        let tables = SourceContract.central
        let before = try tables.map { try fingerprint(manager, schema: "snapshot", table: $0) }
        // Enough bags for several 1 MiB chunks (triggers off: this is test data, not a rule check).
        try central.execute("""
            set session_replication_role = replica;
            insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select gen_random_uuid(), 'TL-1', 1700000000000, 1700000000000 + g, 'WH-A', 1.00, 51.00, 'ACCEPTED', 50
              from generate_series(1, 120000) g;
            set session_replication_role = origin;
            """)
        let killer = try TestServer.admin()
        let terminated = LockedFlag()
        let killerBox = UncheckedBox(killer)
        let centralName = sources.central.name
        XCTAssertThrowsError(try pull(CentralPull.Observer(chunkCopied: { table, _ in
            guard table == "tealine_record", !terminated.isSet else { return }
            terminated.set()
            _ = try? killerBox.value.query("""
                select pg_terminate_backend(pid) from pg_stat_activity
                 where application_name = 'mtp-etl pull-central' and backend_type = 'client backend'
                   and datname = $1
                """, [centralName])
        }))) { error in
            XCTAssertEqual(ExitStatus(for: error), .operational, "exit code 3")
            XCTAssertTrue("\(error)".contains("previous snapshot is unchanged"), "\(error)")
        }
        XCTAssertTrue(terminated.isSet, "the copy was under way when Central's backend was terminated")
        XCTAssertEqual(try tables.map { try fingerprint(manager, schema: "snapshot", table: $0) }, before, "previous snapshot intact")
        XCTAssertEqual(try manager.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0), first.pullID)
        let failed = try XCTUnwrap(manager.query("select outcome, error from mtp.central_pull order by pull_id desc limit 1").first)
        XCTAssertEqual(try failed.decode(String.self, 0), "failed")
        XCTAssertFalse(try failed.decode(String.self, 1).isEmpty)
        XCTAssertEqual(try manager.query("select to_regnamespace('snapshot_next') is null").first?.decode(Bool.self, 0), true)

        let next = try pull()
        XCTAssertEqual(next.tables.first { $0.name == "tealine_record" }?.rows, 120_002)
    }

    func testSnapshotIsOneInstantUnderConcurrentWrites() throws {
        let writer = try sources.central.connect()
        try writer.execute("insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag) values ('TL-W', 1, 1000000, 50)")
        let stop = LockedFlag()
        let writerBox = UncheckedBox(writer)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var count = 0
            while !stop.isSet && count < 20_000 {
                _ = try? writerBox.value.withTransaction { connection in
                    let barcode = try connection.query("""
                        insert into tealine_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
                        values ('TL-W', 1, 'WH-A', 1, 51, 'x', 0) returning barcode
                        """).first!.decode(UUID.self, 0)
                    try connection.query("insert into tealine_allocate_shipment values ($1, 99, 1, 50, 0)", [barcode])
                }
                count += 1
            }
            done.signal()
        }
        thread.start()
        defer { stop.set(); done.wait() }
        // One job reading everything in the snapshot transaction, then four importing its exported snapshot.
        for jobs in [1, 1, 4, 4, 4, 3] {
            try pull(jobs: jobs)
            XCTAssertEqual(try manager.query("select jobs from mtp.central_pull order by pull_id desc limit 1").first!.decode(Int.self, 0), jobs)
            let orphans = try manager.query("""
                select (select count(*) from snapshot.tealine_record r where r.item_code = 'TL-W'
                          and not exists (select 1 from snapshot.tealine_allocate_shipment a where a.barcode = r.barcode))
                     + (select count(*) from snapshot.tealine_allocate_shipment a where a.request_code = 99
                          and not exists (select 1 from snapshot.tealine_record r where r.barcode = a.barcode))
                """).first!.decode(Int.self, 0)
            XCTAssertEqual(orphans, 0, "a record without its allocation, or the reverse")
        }
        XCTAssertGreaterThan(try manager.query("select count(*) from snapshot.tealine_record where item_code = 'TL-W'").first!.decode(Int.self, 0), 0,
                             "the writer was running during the pulls")
    }

    func testUnreachableCentralExitsThreeAfterRetries() throws {
        let run = try CommandLineRun.run(["pull-central"], environment: [
            "MTP_MANAGER_URL": sources.manager.conninfo,
            "MTP_CENTRAL_URL": "postgresql://reader:NotThisOne@127.0.0.1:1/central?connect_timeout=2",
        ])
        XCTAssertEqual(run.status, 3, run.stderr)
        XCTAssertTrue(run.stderr.contains("attempt 1 of 3") && run.stderr.contains("attempt 3 of 3"), run.stderr)
        XCTAssertFalse(run.stderr.contains("NotThisOne"), "no password in the output")
        XCTAssertEqual(try manager.query("select outcome from mtp.central_pull order by pull_id desc limit 1").first?.decode(String.self, 0), "failed")
    }
}

/// A flag shared between threads.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var values: Set<Int32> = []
    var count: Int { lock.withLock { values.count } }
    func insert(_ value: Int32) { lock.withLock { _ = values.insert(value) } }
}

/// A value handed to one other thread that alone uses it from then on.
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
