import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The build on a generated state (the benchmark's fill scripts, small): blendbalance chains ten batches deep,
/// parcels, dispatched and open shipments.
final class GeneratedStateTests: XCTestCase {
    func fill(_ script: String, lots: Int) throws -> String {
        let url = TestServer.projectRoot.appendingPathComponent("scripts/sql/\(script)")
        // The scripts take psql's :lots variable; this is our own file, and the value is a number we choose.
        return try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: ":lots", with: String(lots))
    }

    func testMassBalanceAndRemainingOnAGeneratedState() throws {
        let sources = try SourceDatabases("generated")
        let central = try sources.central.connect()
        let manager = try sources.manager.connect()
        try central.execute(try fill("bench-central-fill.sql", lots: 100))
        try manager.execute(try fill("bench-manager-fill.sql", lots: 100))
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        let result = try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertGreaterThan(result.tables.first { $0.name == "shipment_attribution" }?.rows ?? 0, 100)

        let open = try FactsChecks.unbalancedShipments(manager)
        XCTAssertEqual(open, 0, "attributed + untraced = allocated for every shipment")
        XCTAssertEqual(try manager.query("select count(*) from facts.shipment_attribution where root_kind = 'untraced'").first!.decode(Int.self, 0), 0,
                       "every bag of this state reaches a root lot")
        XCTAssertGreaterThan(try manager.query("select max(level) + 1 from facts.batch_level").first!.decode(Int.self, 0), 5,
                             "genealogy several levels deep")

        // Remaining per record equals Central's own scan_record answer, for every record.
        let ours = try manager.query("select record_kind || ':' || barcode, remaining_kg::text from facts.record_balance").rows
        var expected: [String: Decimal] = [:]
        for kind in ["tealine", "blendbalance", "blendsheet"] {
            for row in try central.query("""
                select $1 || ':' || barcode, (scan_record($1, barcode) ->> 'remaining')::numeric::text from \(quoteIdentifier(kind + "_record"))
                """, [kind]).rows {
                expected[try row.decode(String.self, 0)] = Decimal(string: try row.decode(String.self, 1))
            }
        }
        XCTAssertEqual(ours.count, expected.count)
        var mismatches = 0
        for row in ours where Decimal(string: try row.decode(String.self, 1)) != expected[try row.decode(String.self, 0)] { mismatches += 1 }
        XCTAssertEqual(mismatches, 0)
    }
}
