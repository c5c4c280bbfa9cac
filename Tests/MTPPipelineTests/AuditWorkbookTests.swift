import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// `mtp-etl trace ... --xlsx`: the audit workbook of one trace, read back with openpyxl and held against the
/// facts and against the command line's own trace.
final class AuditWorkbookTests: XCTestCase {
    func number(_ cell: WorkbookReading.CellValue??) -> Double? {
        guard case .number(let n)? = cell??.v else { return nil }
        return n
    }

    func summaryValue(_ sheet: WorkbookReading.SheetReading, _ measure: String) -> Double? {
        number(sheet.rows.first { $0.first??.v == .text(measure) }?[1])
    }

    func testForwardFromALotAgreesWithTheCommandLineTraceAndTheBatches() throws {
        let sources = try SampleFacts.make("audit")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo]
        let file = out.url.appendingPathComponent("TL-A.xlsx")
        let run = try CommandLineRun.run(["trace", "lot", "TL-A", "--xlsx", file.path], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let book = try WorkbookReading.read(file)
        XCTAssertEqual(book.sheets.map(\.name), ["Summary", "Receiving", "Transformation", "Shipping"])

        // Shipping: the same shipments and kilograms as `mtp-etl trace lot TL-A --format csv`.
        let csv = try CommandLineRun.run(["trace", "lot", "TL-A", "--format", "csv"], environment: environment)
        let expected = csv.stdout.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { "\($0[2])/\($0[3]) \($0[6])" }
        let shipping = try XCTUnwrap(book.sheet("Shipping"))
        let shown = shipping.rows.dropFirst(2).map { row in
            "\(Int(number(row[0]) ?? -1))/\(Int(number(row[1]) ?? -1)) \(String(format: "%.2f", number(row[4]) ?? -1))"
        }
        XCTAssertEqual(shown, expected)
        XCTAssertFalse(shown.isEmpty)

        // Summary: kg in = the lot's bags, kg out = the shipments, the rest untraced; the percent is out over in.
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(summary.text(2, 1), "Where did tealine lot TL-A@1000 go? (forward)")
        let lotKg = try manager.query("select sum(net_kg)::float8 from facts.record where item_code = 'TL-A' and record_kind = 'tealine'").first!.decode(Double.self, 0)
        let outKg = shipping.rows.dropFirst(2).compactMap { number($0[4]) }.reduce(0, +)
        XCTAssertEqual(summaryValue(summary, "Kg in"), lotKg)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Kg out")), outKg, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Untraced kg")), lotKg - outKg, accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Percent traced")), outKg / lotKg, accuracy: 0.0001)
        XCTAssertEqual(summary.rows[3][1]?.t, "d", "answered at is a time stamp")

        // Transformation: per batch, the pairs add up to the batch's input and output; the title says how.
        let transformation = try XCTUnwrap(book.sheet("Transformation"))
        XCTAssertTrue(transformation.text(0, 0)?.hasPrefix("One row per input bag and output bag") == true)
        var sums: [String: (input: Double, output: Double)] = [:]
        for row in transformation.rows.dropFirst(2) {
            guard case .text(let batch)? = row[0]?.v else { return XCTFail("a batch code in every row") }
            sums[batch, default: (0, 0)].input += number(row[5]) ?? 0
            sums[batch, default: (0, 0)].output += number(row[7]) ?? 0
        }
        XCTAssertFalse(sums.isEmpty)
        for (batch, sum) in sums {
            let facts = try manager.query("select input_kg::float8, output_kg::float8 from facts.batch_yield where batch_code = $1", [batch]).first!
            XCTAssertEqual(sum.input, try facts.decode(Double.self, 0), accuracy: 0.001, "input of \(batch)")
            XCTAssertEqual(sum.output, try facts.decode(Double.self, 1), accuracy: 0.001, "output of \(batch)")
        }
        let receiving = try XCTUnwrap(book.sheet("Receiving"))
        XCTAssertEqual(receiving.rows.count - 2, 1)
        XCTAssertEqual(receiving.rows[2].prefix(7).map { $0.flatMap { if case .text(let t) = $0.v { t } else { nil } } },
                       ["TL-A", "tealine", "Pedro", "BOP", "INV-A", "Forbes", "PO-A"])
    }

    func testBackwardFromAnOrderReachesItsLotsAndStatesWhatIsUntraced() throws {
        let sources = try SampleFacts.make("audit_back")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        let file = out.url.appendingPathComponent("order.xlsx")
        let result = try AuditWorkbook(files: SourceDatabases.files, timeZone: "Asia/Colombo").write(.order("ORD-2001"), to: file, connection: manager)
        XCTAssertEqual(result.question, "What went into the shipments of order ORD-2001? (backward)")
        let book = try WorkbookReading.read(file)
        let attribution = try manager.query("""
            select coalesce(sum(kg) filter (where root_kind <> 'untraced'), 0)::float8, coalesce(sum(kg) filter (where root_kind = 'untraced'), 0)::float8,
                   sum(kg)::float8, count(distinct root_code)::int
              from facts.shipment_attribution
             where request_code in (select request_code from facts.shipment where order_code = 'ORD-2001')
            """).first!
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Kg in")), try attribution.decode(Double.self, 0), accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Untraced kg")), try attribution.decode(Double.self, 1), accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Kg out")), try attribution.decode(Double.self, 2), accuracy: 0.001)
        XCTAssertEqual(book.sheet("Receiving")?.rows.count, (try attribution.decode(Int.self, 3)) + 2, "one row per root lot")
        XCTAssertEqual(book.sheet("Shipping")?.rows[1][6]?.v, .text("Dispatched at (Asia/Colombo)"))
    }

    func testAnUnknownKeyIsRefusedAndWritesNothing() throws {
        let sources = try SampleFacts.make("audit_unknown")
        let out = try TemporaryDirectory()
        let run = try CommandLineRun.run(["trace", "shipment", "404/1", "--xlsx", out.url.appendingPathComponent("x.xlsx").path],
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("shipment 404/1 is unknown"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.url.path), [])
    }
}
