import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The hand-built state of `Tests/Fixtures/hand-built/state`, which the report, audit and run tests use.
final class HandBuiltStateTests: XCTestCase {
    func testTheHandBuiltStatePullsExactlyAndBuildsWithMassBalanceAndScanRecordAgreement() throws {
        let sources = try SourceDatabases("sample")
        let central = try sources.central.connect()
        let manager = try sources.manager.connect()
        let state = SampleFacts.handBuilt.appendingPathComponent("state")
        try FixtureLoader().load(from: state, system: .central, into: central)
        try FixtureLoader().load(from: state, system: .manager, into: manager)
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        let pulled = try pull.run()
        XCTAssertGreaterThan(pulled.totalRows, 50)

        // Row counts and a checksum per table equal Central's.
        for table in SourceContract.central {
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let sql = { (schema: String) in """
                select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')
                  from (select \(columns) from \(schema).\(quoteIdentifier(table.name))) t
                """ }
            XCTAssertEqual(try manager.query(sql("snapshot")).first!.decode(String.self, 0),
                           try central.query(sql("public")).first!.decode(String.self, 0), table.name)
        }

        try FactsBuild(files: SourceDatabases.files).run(manager)
        let open = try FactsChecks.unbalancedShipments(manager)
        XCTAssertEqual(open, 0, "mass balance closes for every shipment")
        for row in try manager.query("select record_kind, barcode::text, remaining_kg::text from facts.record_balance").rows {
            let kind = try row.decode(String.self, 0), barcode = try row.decode(String.self, 1)
            let theirs = try central.query("select (scan_record($1, $2::uuid) ->> 'remaining')::numeric::text", [kind, barcode]).first!.decode(String.self, 0)
            XCTAssertEqual(Decimal(string: try row.decode(String.self, 2)), Decimal(string: theirs), "\(kind) \(barcode)")
        }
        XCTAssertEqual(try manager.query("select count(distinct check_name) from facts.finding").first!.decode(Int.self, 0), 11,
                       "every kind of finding")
    }
}
