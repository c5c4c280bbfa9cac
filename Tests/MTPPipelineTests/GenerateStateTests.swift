import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `mtp-etl generate state`: deterministic, loadable, and a state the build closes mass balance on, with every
/// kind of finding.
final class GenerateStateTests: XCTestCase {
    func generator() -> StateGenerator { SourceDatabases.stateGenerator() }

    func testTheSameSeedGivesTheSameBytesAndTheStateBuildsWithMassBalanceAndEveryFinding() throws {
        let work = try TemporaryDirectory()
        let first = work.url.appendingPathComponent("first"), second = work.url.appendingPathComponent("second")
        let result = try generator().generate(bags: 4_000, seed: "42", into: first)
        _ = try generator().generate(bags: 4_000, seed: "42", into: second)
        let files = try TemporaryDirectory.csvFiles(in: first)
        XCTAssertEqual(files, try TemporaryDirectory.csvFiles(in: second), "byte-identical for a seed")
        XCTAssertGreaterThan(files.count, 20)
        XCTAssertEqual(Double(result.bags), 4_000, accuracy: 400, "about the bags asked for")
        let other = work.url.appendingPathComponent("other")
        _ = try generator().generate(bags: 4_000, seed: "43", into: other)
        XCTAssertNotEqual(try TemporaryDirectory.csvFiles(in: other)["central/tealine_record.csv"], files["central/tealine_record.csv"], "another seed, other values")
        XCTAssertThrowsError(try generator().generate(bags: 4_000, seed: "42", into: first), "never into a directory with files") { error in
            XCTAssertEqual((error as? PipelineError)?.kind, .refused)
        }

        // Loadable, importable, and the build closes mass balance with every kind of finding.
        let sources = try SourceDatabases("generated_state")
        let manager = try sources.manager.connect(), central = try sources.central.connect()
        try FixtureLoader().load(from: first, system: .central, into: central)
        try FixtureLoader().load(from: first, system: .manager, into: manager)
        let imports = try PlanImporter(options: PlanImportOptions()).importFiles([first.appendingPathComponent("order_plan_raw/plans.csv")], connection: manager)
        XCTAssertEqual(imports.first?.status, .imported)
        XCTAssertEqual(imports.first?.rejected, 2, "the planning file carries two rows a planner gets back")
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        _ = try pull.run()
        try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(try FactsChecks.unbalancedShipments(manager), 0, "attributed + untraced = allocated for every shipment")
        let kinds = try manager.query("select check_name from facts.finding group by check_name order by 1").rows.map { try $0.decode(String.self, 0) }
        XCTAssertEqual(kinds, ["blocked_batch_shipped", "dispatched_without_event", "event_without_dispatched_bags", "genealogy_cycle",
                               "location_violation", "orphan_allocation", "orphan_parcel_schedule", "over_allocated_record",
                               "quantity_mismatch", "request_without_plan", "yield_above_100"])
        // A small share: most shipments are clean.
        let flagged = try manager.query("select count(distinct keys)::float8 / (select count(*) from public.order_shipment) from facts.finding where check_name = 'quantity_mismatch'").first!.decode(Double.self, 0)
        XCTAssertLessThan(flagged, 0.2)

        // Central's rules: its triggers ran at generation; its own scan_record agrees with our remaining kg.
        let records = try manager.query("select count(*)::int from facts.record_balance").first!.decode(Int.self, 0)
        XCTAssertGreaterThan(records, 3_000, "every bag has a balance row")
        var mismatches = 0
        for row in try manager.query("select record_kind, barcode::text, remaining_kg::text from facts.record_balance where record_kind <> 'herbline' order by barcode limit 400").rows {
            let theirs = try central.query("select (scan_record($1, $2::uuid) ->> 'remaining')::numeric::text",
                                           [try row.decode(String.self, 0), try row.decode(String.self, 1)]).first!.decode(String.self, 0)
            if Decimal(string: theirs) != Decimal(string: try row.decode(String.self, 2)) { mismatches += 1 }
        }
        XCTAssertEqual(mismatches, 0)
        // No tealine lot holds more bags than it declares, no balance more than its weight (Central's triggers).
        XCTAssertEqual(try central.query("""
            select count(*)::int from tealine t where (select count(*) from tealine_record r where r.item_code = t.item_code and r.created_ts = t.created_ts) > t.no_of_bags
            """).first!.decode(Int.self, 0), 0)
    }
}
