import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `generate day` (issue 20): the next day of a generated factory, added to a live Central through its own
/// triggers and to Manager, is what a whole state of those units holds; it is all or nothing; and the pull and
/// incremental build after it make the facts a full build makes.
final class DayGeneratorTests: XCTestCase {
    /// The test's databases, kept for as long as the test runs.
    var kept: [SourceDatabases] = []

    /// Drops the databases now: XCTest keeps every test case alive until the whole run ends.
    override func tearDown() {
        kept = []
        super.tearDown()
    }

    /// A pair loaded with a generated state of `units` units for seed 7.
    func generated(_ name: String, units: Int) throws -> SourceDatabases {
        let sources = try SourceDatabases(name)
        kept.append(sources)
        let state = try TemporaryDirectory()
        _ = try SourceDatabases.stateGenerator().generate(bags: units * StateGenerator.bagsPerUnit, seed: "7", into: state.url)
        try FixtureLoader().load(from: state.url, system: .central, into: try sources.central.connect())
        try FixtureLoader().load(from: state.url, system: .manager, into: try sources.manager.connect())
        return sources
    }

    /// Every source table's rows, as one digest and a count per table.
    func digests(_ sources: SourceDatabases) throws -> [String: String] {
        var digests: [String: String] = [:]
        for (tables, database) in [(SourceContract.central, sources.central), (SourceContract.manager, sources.manager)] {
            let connection = try database.connect()
            for table in tables {
                let name = "\(quoteIdentifier(table.schema)).\(quoteIdentifier(table.name))"
                digests[table.name] = try connection.query("""
                    select count(*) || ' ' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from \(name) t
                    """).first!.decode(String.self, 0)
            }
        }
        return digests
    }

    func testADayThroughCentralsRulesIsWhatAWholeStateOfItsUnitsHolds() throws {
        // 25 units: the day's first batch takes the balance unit 25 leaves (a row with yesterday's time stamp).
        let live = try generated("day_live", units: 25)
        // Without the day's corrections to earlier days, which no whole state makes.
        let result = try DayGenerator(files: SourceDatabases.files, configuration: live.configuration).addDay(seed: "7", corrections: false)
        XCTAssertEqual(result.units, 26...97)
        XCTAssertGreaterThan(result.bagsAdded, 72 * 200)
        let balance = try live.central.connect().query("select created_ts from blendbalance where item_code = 'BB-000025'").rows
        XCTAssertEqual(balance.count, 1, "the day before's last batch left the balance the day's first batch takes")

        let whole = try generated("day_whole", units: 97)
        let expected = try digests(whole), actual = try digests(live)
        XCTAssertEqual(actual.count, SourceContract.central.count + SourceContract.manager.count)
        for (table, digest) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(actual[table], digest, "\(table): state of 25 units and a day against a state of 97 units")
        }
        XCTAssertNotEqual(expected["tealine_record"], try digests(generated("day_other", units: 96))["tealine_record"],
                          "the comparison sees a unit's difference")
    }

    func testADaysCorrectionsChangeAWeekOldBatchAndYesterdaysPlanInPlace() throws {
        // 30 units: less than a week, so the week-old batch is the first one, B-1, and yesterday's order ORD-1.
        let sources = try generated("day_corrections", units: 30)
        let central = try sources.central.connect(), manager = try sources.manager.connect()
        let allocation = "select amount from tealine_allocate_blendsheet where item_code = 'B-000001' order by barcode"
        let plan = "select requirement, plan_end - plan_start from order_plan where order_code = 'ORD-000001'"
        let amounts = try central.query(allocation).rows.map { try $0.decode(Double.self, 0) }
        let planned = try XCTUnwrap(try manager.query(plan).first, "Manager plans ORD-1")
        let otherPlans = try manager.query("select count(*) from order_plan").first!.decode(Int.self, 0)
        let added = try DayGenerator(files: SourceDatabases.files, configuration: sources.configuration).addDay(seed: "7")
        let corrected = try central.query(allocation).rows.map { try $0.decode(Double.self, 0) }
        XCTAssertEqual(corrected.count, amounts.count, "corrected in place, no row added or removed")
        XCTAssertEqual(amounts.reduce(0, +) - corrected.reduce(0, +), 1, accuracy: 1e-9, "B-1 lost 1 kg of one input")
        XCTAssertEqual(zip(amounts, corrected).filter { $0 != $1 }.count, 1)
        let revised = try XCTUnwrap(try manager.query(plan).first)
        XCTAssertEqual(try revised.decode(Int.self, 0), try planned.decode(Int.self, 0) + 500)
        XCTAssertEqual(try revised.decode(Int.self, 1), try planned.decode(Int.self, 1) + 3)
        let newOrders = try manager.query("select count(*) from order_plan").first!.decode(Int.self, 0) - otherPlans
        XCTAssertLessThanOrEqual(newOrders, added.units.count / 3, "the day's own orders are added, none replaced")
    }

    func testADayThatCannotBeAddedChangesNeitherSystem() throws {
        let sources = try generated("day_refused", units: 20)
        let before = try digests(sources)
        // A Manager already holding the day's first request: not the Manager of this Central's state.
        try sources.manager.connect().execute("insert into order_request (request_code, order_code, product_name, requirement) values (21, 'ORD-X', 'x', 1)")
        let generator = DayGenerator(files: SourceDatabases.files, configuration: sources.configuration)
        XCTAssertThrowsError(try generator.addDay()) { error in
            XCTAssertTrue("\(error)".contains("already holds request 21"), "\(error)")
        }
        try sources.manager.connect().execute("delete from order_request where request_code = 21")
        // A Central of another state (the demo's batches are named by their day): refused, not extended.
        try sources.central.connect().execute("""
            insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, humidity, density, trader_status)
            select 'B-261029', created_ts, blendsheet_no, completed, humidity, density, trader_status from blendsheet_batch where item_code = 'B-000001'
            """)
        XCTAssertThrowsError(try generator.addDay()) { error in
            XCTAssertTrue("\(error)".contains("is not a state of `generate state`"), "\(error)")
        }
        try sources.central.connect().execute("delete from blendsheet_batch where item_code = 'B-261029'")
        // Central refusing a row half way (a lot that already has its bags): nothing of the day stays, anywhere.
        try sources.central.connect().execute("""
            insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
            values ('TL-000030A', 1767225600000 + 30 * 1200000, 'INV', 'BOP', 0, 50, 'b', 'g', 'PO')
            """)
        XCTAssertThrowsError(try generator.addDay(seed: "7")) { error in
            XCTAssertTrue("\(error)".contains("TL-000030A"), "Central's own rule names the lot: \(error)")
        }
        try sources.central.connect().execute("delete from tealine where item_code = 'TL-000030A'")
        XCTAssertEqual(try digests(sources), before)
        XCTAssertEqual(try generator.addDay(seed: "7").units, 21...92, "the day is added once nothing is in its way")
    }

    func testTheBuildAfterADayIsIncrementalAndEqualToAFullBuild() throws {
        let sources = try generated("day_build", units: 40)
        let manager = try sources.manager.connect()
        try CentralPull(configuration: sources.configuration).run()
        XCTAssertEqual(try FactsBuild(files: SourceDatabases.files).run(manager).mode, .full)
        for day in 1...2 {
            let added = try DayGenerator(files: SourceDatabases.files, configuration: sources.configuration).addDay(seed: "7")
            try CentralPull(configuration: sources.configuration).run()
            let result = try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(fullThreshold: .infinity))
            XCTAssertEqual(result.mode, .incremental, "day \(day): \(result.fullReason ?? "")")
            let batches = Dictionary(result.keys.map { ($0.kind, $0.count) }, uniquingKeysWith: +)["batches"] ?? 0
            // The day's 72 batches, and the corrected week-old batch (B-1 here) with the nine its balance reaches
            // down its chain of ten; none of the history's other batches.
            XCTAssertEqual(batches, 72 + 10, "day \(day)")
            let outcome = try FactsVerification(files: SourceDatabases.files).compare(manager)
            XCTAssertEqual(outcome.differences, [], "day \(day), units \(added.units)")
        }
    }
}
