import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// One blend whose leftover goes into its next batch, day after day (scripts/sql/bench-chain-*.sql): each batch
/// is one 100 kg tealine lot and the previous batch's 20 kg balance, and makes one 99 kg bag, shipped, and the
/// 20 kg leftover. Lot TL-Cj is 100/120 of batch j and (1/6)^(k-j) of it is in batch k, so shipment k holds
/// 82.5 x 6^-(k-j) kg of it; the opening balance BB-C0 is 1/6 of batch 1, 16.5 x 6^-(k-1) kg of shipment k.
final class LongChainTests: XCTestCase {
    static let batches = 300
    /// The test's databases, kept for as long as the test runs (they are dropped with it).
    var sources: SourceDatabases?

    /// Drops the test's databases: XCTest keeps every test case object until the process ends, so they would
    /// outlive the test (four pairs of databases left on the server by every run).
    override func tearDown() {
        sources = nil
        super.tearDown()
    }

    func chain(_ name: String, cycleAt: Int = 0, split: Bool = false) throws -> Connection {
        func fill(_ script: String) throws -> String {
            try String(contentsOf: TestServer.projectRoot.appendingPathComponent("scripts/sql/\(script)"), encoding: .utf8)
                .replacingOccurrences(of: ":batches", with: String(Self.batches))
                .replacingOccurrences(of: ":cycle_at", with: String(cycleAt))
                .replacingOccurrences(of: ":split", with: split ? "1" : "0")
        }
        let sources = try SourceDatabases(name)
        self.sources = sources
        try sources.central.connect().execute(try fill("bench-chain-central.sql"))
        let manager = try sources.manager.connect()
        try manager.execute(try fill("bench-chain-manager.sql"))
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        try FactsBuild(files: SourceDatabases.files).run(manager)
        return manager
    }

    /// log10 of what lot TL-C1 gave shipment k.
    func expectedLog10(shipment k: Int) -> Double { log10(82.5) - Double(k - 1) * log10(6) }

    /// log10 of an amount as a trace prints it (`0.38`, `0.0018`, `4.9e-931`).
    func shownLog10(_ text: String) throws -> Double {
        if let e = text.range(of: "e-") {
            let mantissa = try XCTUnwrap(Double(text[..<e.lowerBound])), exponent = try XCTUnwrap(Double(text[e.upperBound...]))
            return log10(mantissa) - exponent
        }
        return log10(try XCTUnwrap(Double(text)))
    }

    func testTheFirstLotReachesEveryShipmentOfTheChainWithItsKilograms() throws {
        let manager = try chain("chain_forward")
        let table = try TraceQuery().run(.lot(code: "TL-C1", createdTS: nil), connection: manager, withBalance: true)
        let kg = try XCTUnwrap(TraceQuery.forwardColumns.firstIndex(of: "kg"))
        let request = try XCTUnwrap(TraceQuery.forwardColumns.firstIndex(of: "request_code"))
        XCTAssertEqual(table.rows.count, Self.batches, "every shipment of the chain, however little of the lot it holds")
        for (index, row) in table.rows.enumerated() {
            let k = index + 1
            XCTAssertEqual(row[request], String(500_000 + k))
            let shown = try XCTUnwrap(row[kg])
            if expectedLog10(shipment: k) >= log10(0.005) {
                XCTAssertEqual(shown, String(format: "%.2f", pow(10, expectedLog10(shipment: k))), "shipment \(k)")
            } else {
                XCTAssertNotEqual(shown, "0.00", "shipment \(k) is shown as the small amount it is")
                XCTAssertEqual(try shownLog10(shown), expectedLog10(shipment: k), accuracy: 0.025, "shipment \(k): \(shown)")
            }
        }
        XCTAssertEqual(table.rows[6][kg], "0.0018", "82.5 / 6^6 kg, to two significant digits")
        XCTAssertTrue(table.rows[299].compactMap { $0 }.contains { $0.contains("… 293 more … > B-C300") }, "the batches between, in one line")
        // Its mass balance closes: 99 kg shipped down the chain (82.5 x 1.2), 1 kg process loss, nothing unaccounted.
        guard case .lot(let mass)? = table.balance else { return XCTFail("a forward trace has a mass balance") }
        XCTAssertEqual(mass.receivedKg, 100, accuracy: 0.000_1)
        XCTAssertEqual(mass.shippedKg, 99, accuracy: 0.000_1)
        XCTAssertEqual(mass.processLossKg, 1, accuracy: 0.000_1)
        XCTAssertEqual(mass.unaccountedKg, 0, accuracy: 0.000_1)
        // No fact table holds a row per (batch, ancestor): every one grows with the chain, not with its square.
        for row in try manager.query("""
            select c.relname, c.reltuples::int8 from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'facts' and c.relkind = 'r'
            """).rows {
            let name = try row.decode(String.self, 0)
            let rows = try manager.query("select count(*) from facts.\(quoteIdentifier(name))").first!.decode(Int.self, 0)
            XCTAssertLessThanOrEqual(rows, 25 * Self.batches, "facts.\(name)")
        }
    }

    func testEveryShipmentListsItsLotsOfAtLeastFiveGramsAndClosesExactly() throws {
        let manager = try chain("chain_backward")
        // listed + small + untraced = allocated, exactly (to 1e-12 kg), for every shipment.
        XCTAssertEqual(try manager.query("""
            select count(*) from (select request_code, shipment_code, sum(kg) as kg from facts.shipment_attribution group by 1, 2) a
              join (select request_code, shipment_code, sum(kg) as kg from facts.edge_record_shipment group by 1, 2) e using (request_code, shipment_code)
             where abs(a.kg - e.kg) > 1e-12
            """).first!.decode(Int.self, 0), 0)
        XCTAssertEqual(try manager.query("select count(*) from facts.shipment_attribution where root_kind = 'untraced'").first!.decode(Int.self, 0), 0)
        XCTAssertEqual(try manager.query("""
            select count(*) from facts.shipment_attribution where root_kind in ('tealine', 'blendbalance') and kg < 0.005
            """).first!.decode(Int.self, 0), 0, "a listed lot shows as 0.01 kg or more")
        // Each shipment lists exactly the lots the rule gives it: TL-Cj while 82.5 x 6^-(k-j) >= 0.005, BB-C0 while
        // 16.5 x 6^-(k-1) >= 0.005; the others are its one small row, whose lots the trace counts.
        let listed = Dictionary(uniqueKeysWithValues: try manager.query("""
            select request_code - 500000, count(*) filter (where root_kind <> 'small') from facts.shipment_attribution group by request_code
            """).rows.map { (try $0.decode(Int.self, 0), try $0.decode(Int.self, 1)) })
        let small = try XCTUnwrap(TraceQuery.backwardColumns.firstIndex(of: "path"))
        for k in 1...Self.batches {
            let lots = (1...k).filter { j in log10(82.5) - Double(k - j) * log10(6) >= log10(0.005) }.count
                + (log10(16.5) - Double(k - 1) * log10(6) >= log10(0.005) ? 1 : 0)
            XCTAssertEqual(listed[k], lots, "shipment \(k): lots listed")
            if [1, 5, 6, 7, 8, 150, 299].contains(k) {
                let rows = try TraceQuery().run(.shipment(request: Int64(500_000 + k), shipment: 1), connection: manager).rows
                XCTAssertEqual(rows.count, lots + (k + 1 > lots ? 1 : 0), "shipment \(k)")
                if k + 1 > lots {
                    XCTAssertTrue(rows.last?[small]?.hasPrefix("\(k + 1 - lots) lots of less than 0.005 kg each") == true, "shipment \(k): \(rows.last ?? [])")
                }
            }
        }
        let last = try manager.query("""
            select coalesce(root_code, root_kind), round(kg, 2)::text, depth, path from facts.shipment_attribution
             where request_code = 500300 order by root_kind = 'small', kg desc
            """).rows.map { try [$0.decode(String.self, 0), $0.decode(String.self, 1), String($0.decode(Int.self, 2)), $0.decode(String.self, 3)] }
        XCTAssertEqual(last.map { $0[0] + " " + $0[1] }, ["TL-C300 82.50", "TL-C299 13.75", "TL-C298 2.29", "TL-C297 0.38",
                                                          "TL-C296 0.06", "TL-C295 0.01", "small 0.00"])
        XCTAssertEqual(last[6][2], "7", "the small lots start seven batches back")
        XCTAssertEqual(last[6][3], "lots of less than 0.005 kg each, the nearest 7 batches back")
        XCTAssertEqual(last[2][3], "TL-C298 > B-C298 > B-C299 > B-C300")

        // The same from the command line's backward trace, and its composition.
        let table = try TraceQuery().run(.shipment(request: 500_300, shipment: 1), connection: manager, withBalance: true)
        XCTAssertEqual(table.rows.count, 7)
        XCTAssertEqual(table.rows[6][small], "295 lots of less than 0.005 kg each, the nearest 7 batches back")
        guard case .shipments(let composition)? = table.balance else { return XCTFail("a backward trace has a composition") }
        XCTAssertEqual(composition.small?.lots, 295)
        XCTAssertEqual(composition.lots.count, 6)
        XCTAssertEqual(composition.allocatedKg, 99, accuracy: 1e-9)
        XCTAssertEqual(composition.lots.reduce(0) { $0 + $1.kg } + (composition.small?.kg ?? 0) + composition.untracedKg, 99, accuracy: 1e-9)
    }

    func testLeftoversSplitBetweenTwoBatchesAreFollowedOncePerBatchNotOncePerWay() throws {
        // Each leftover goes half into the next batch and half into the one after: from the first batch to the
        // 300th there are about 2.2e62 ways (Fibonacci's numbers). Built and traced batch by batch, it takes
        // what the straight chain takes.
        let started = Date()
        let manager = try chain("chain_split", split: true)
        let forward = try TraceQuery().run(.lot(code: "TL-C1", createdTS: nil), connection: manager, withBalance: true)
        XCTAssertEqual(forward.rows.count, Self.batches, "every shipment")
        guard case .lot(let mass)? = forward.balance else { return XCTFail("a forward trace has a mass balance") }
        XCTAssertEqual(mass.receivedKg, 100, accuracy: 0.000_1)
        XCTAssertEqual(mass.unaccountedKg, 0, accuracy: 0.000_1, "every kilogram of the lot is found, along every way")
        XCTAssertEqual(try FactsChecks.unbalancedShipments(manager), 0)
        let backward = try TraceQuery().run(.shipment(request: 500_300, shipment: 1), connection: manager, withBalance: true)
        guard case .shipments(let composition)? = backward.balance else { return XCTFail("a backward trace has a composition") }
        XCTAssertEqual(composition.lots.reduce(0) { $0 + $1.kg } + (composition.small?.kg ?? 0), 99, accuracy: 1e-9)
        XCTAssertEqual((composition.small?.lots ?? 0) + composition.lots.count, Self.batches + 1,
                       "every lot of the genealogy once (300 tealine lots and the opening balance), not once per way")
        XCTAssertEqual(try GenealogyQuery().run(.shipment(request: 500_300, shipment: 1), connection: manager).edges.isEmpty, false)
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "a genealogy of 2.2e62 ways is not walked way by way")
    }

    func testALoopInsideALongChainIsCutWhereItClosesAndReported() throws {
        // Batch 150 also takes 5 kg of a balance that batch 151 left: a loop. The link from the later batch is cut.
        let manager = try chain("chain_loop", cycleAt: 150)
        let findings = try manager.query("select keys, message from facts.finding where check_name = 'genealogy_cycle'").rows
            .map { [try $0.decode(String.self, 0), try $0.decode(String.self, 1)] }
        XCTAssertEqual(findings.count, 1, "\(findings)")
        XCTAssertEqual(findings.first?[0], "batch B-C150")
        XCTAssertEqual(findings.first?[1],
                       "genealogy loops: batch B-C150 took a balance of batch B-C151, which descends from it; the looping share (4.00 % of its input) is reported as untraced")
        // The chain itself is still followed through the loop: the first lot still reaches every shipment.
        let forward = try TraceQuery().run(.lot(code: "TL-C1", createdTS: nil), connection: manager)
        XCTAssertEqual(forward.rows.count, Self.batches)
        // Every shipment still closes; from batch 150 on, the looping share is untraced, with the reason.
        XCTAssertEqual(try FactsChecks.unbalancedShipments(manager), 0)
        let untraced = try manager.query("""
            select request_code - 500000 from facts.shipment_attribution where root_kind = 'untraced' order by 1
            """).rows.map { try $0.decode(Int.self, 0) }
        XCTAssertEqual(untraced.first, 150)
        XCTAssertTrue(untraced.contains(151))
        let composition = try TraceQuery().run(.shipment(request: 500_150, shipment: 1), connection: manager, withBalance: true)
        guard case .shipments(let shipment)? = composition.balance else { return XCTFail("a backward trace has a composition") }
        XCTAssertEqual(shipment.untracedKg, 99 * 0.04, accuracy: 0.000_1, "the 5 kg of batch 150's 125 kg input that loops")
        XCTAssertEqual(shipment.untracedReason, "the genealogy of batch B-C150 loops back on itself")
    }
}

/// Facts built before the genealogy's links existed (an earlier version's `batch_walk`) answer no trace until the
/// next build, which the next run does first; they are not misread.
final class EarlierFactsTests: XCTestCase {
    func testFactsWithoutTheLinksAskForABuild() throws {
        let sources = try FactsBuildTests.builtState("earlier_facts")
        let manager = try sources.manager.connect()
        try manager.execute("drop table facts.batch_link cascade")
        XCTAssertThrowsError(try TraceQuery().run(.lot(code: "TL-A", createdTS: nil), connection: manager)) { error in
            XCTAssertTrue("\(error)".contains("built by an earlier version of mtp-etl: run `mtp-etl build`"), "\(error)")
        }
        try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(try TraceQuery().run(.lot(code: "TL-A", createdTS: nil), connection: manager).rows.count, 3)
    }
}
