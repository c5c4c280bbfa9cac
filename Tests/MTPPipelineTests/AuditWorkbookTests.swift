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

    func testForwardFromALotIsARecallExerciseThatAgreesWithTheCommandLineTraceAndTheBatches() throws {
        let sources = try SampleFacts.make("audit")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo]
        let file = out.url.appendingPathComponent("TL-A.xlsx")
        let run = try CommandLineRun.run(["trace", "lot", "TL-A", "--xlsx", file.path], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let book = try WorkbookReading.read(file)
        XCTAssertEqual(book.sheets.map(\.name), ["Summary", "Genealogy", "Contacts", "Receiving", "Transformation", "Shipping"])

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

        // Summary: the recall's times and snapshot, the lot's mass balance part by part (worked by hand in
        // MassBalanceTests), and what is affected: (41,1) and (99,1) not dispatched, (42,1) dispatched.
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(summary.text(2, 1), "Where did tealine lot TL-A go? (forward)")
        XCTAssertEqual(summary.row(labelled: "Asked at")?[1]?.t, "d")
        XCTAssertEqual(summary.row(labelled: "Answered at")?[1]?.t, "d")
        XCTAssertLessThan(try XCTUnwrap(summaryValue(summary, "Took (seconds)")), 30)
        XCTAssertNotNil(summaryValue(summary, "Snapshot age at the answer (hours)"))
        // How old the data is, as every workbook says (the hand-built bags were scanned in 1970: stale).
        XCTAssertTrue(summary.rows.contains { $0.first??.v == .text("Data") && ($0[1]?.v).map { "\($0)".contains("last bag scanned 1970-01-01") } == true },
                      "the data's age on the audit Summary")
        XCTAssertTrue(summary.rows.contains { $0.first??.v == .text("STALE DATA") })
        let lotKg = try manager.query("select sum(net_kg)::float8 from facts.record where item_code = 'TL-A' and record_kind = 'tealine'").first!.decode(Double.self, 0)
        XCTAssertEqual(summaryValue(summary, "Received (kg)"), lotKg)
        let outKg = shipping.rows.dropFirst(2).compactMap { number($0[4]) }.reduce(0, +)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Shipped (kg)")), outKg, accuracy: 0.01)
        let parts = ["Shipped (kg)", "In store (kg)", "In stock inside blend bags (kg)", "In blendbalance stock (kg)", "Process loss (kg)", "Unaccounted (kg)"]
        XCTAssertEqual(try parts.map { try XCTUnwrap(summaryValue(summary, $0)) }.reduce(0, +), lotKg, accuracy: 0.01, "the parts add up to received")
        XCTAssertEqual(try XCTUnwrap(number(summary.row(labelled: "In store (kg)")?[2])), 20.0 / 200, accuracy: 0.0001, "each part's share of received")
        XCTAssertEqual(summaryValue(summary, "Orders affected"), 3, "ORD-1001, ORD-2001 and request 99, which Manager does not have")
        XCTAssertEqual(summaryValue(summary, "Shipments affected"), 3)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Dispatched (kg)")), 64.17, accuracy: 0.01, "(42,1)")
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Not dispatched (kg)")), 42.71 + 55, accuracy: 0.01, "(41,1) and (99,1) can still be stopped")

        // Genealogy: the picture, drawn by Graphviz, on a sheet printed on one landscape page.
        let genealogy = try XCTUnwrap(book.sheet("Genealogy"))
        XCTAssertEqual(genealogy.images, 1)
        XCTAssertEqual(genealogy.print.orientation, "landscape")
        XCTAssertEqual(genealogy.print.fitToWidth, 1)
        XCTAssertEqual(genealogy.print.fitToHeight, 1)
        XCTAssertTrue(genealogy.text(1, 0)?.contains("1 lot, 1 blendbalance, 2 batches, 3 shipments") == true, genealogy.text(1, 0) ?? "")

        // Contacts: one row per order, by dispatch time, the ones still open last.
        let contacts = try XCTUnwrap(book.sheet("Contacts"))
        XCTAssertEqual(contacts.rows.dropFirst(2).map { $0[0].flatMap { if case .text(let t) = $0.v { t } else { nil } } },
                       ["ORD-2001", "ORD-1001", "not in Manager (request 99)"])
        XCTAssertEqual(contacts.text(2, 6), "WP CAB-1234", "the vehicle")
        XCTAssertEqual(try XCTUnwrap(number(contacts.rows[3][5])), 42.71, accuracy: 0.01, "ORD-1001's kilograms not dispatched")

        // Transformation: per batch, the input bags add up to its input and the output bags to its output.
        let transformation = try XCTUnwrap(book.sheet("Transformation"))
        XCTAssertTrue(transformation.text(0, 0)?.hasPrefix("Every batch of the trace, bag by bag") == true)
        var sums: [String: (input: Double, output: Double)] = [:]
        for row in transformation.rows.dropFirst(2) {
            guard case .text(let batch)? = row[0]?.v, case .text(let side)? = row[3]?.v else { return XCTFail("a batch and a side in every row") }
            if side == "input" { sums[batch, default: (0, 0)].input += number(row[7]) ?? 0 } else { sums[batch, default: (0, 0)].output += number(row[7]) ?? 0 }
        }
        XCTAssertEqual(Set(sums.keys), ["B-1", "B-2"])
        for (batch, sum) in sums {
            let facts = try manager.query("select input_kg::float8, output_kg::float8 from facts.batch_yield where batch_code = $1", [batch]).first!
            XCTAssertEqual(sum.input, try facts.decode(Double.self, 0), accuracy: 0.001, "input of \(batch)")
            XCTAssertEqual(sum.output, try facts.decode(Double.self, 1), accuracy: 0.001, "output of \(batch)")
        }
        let receiving = try XCTUnwrap(book.sheet("Receiving"))
        XCTAssertEqual(receiving.rows.count - 2, 1)
        XCTAssertEqual(receiving.rows[2].prefix(7).map { $0.flatMap { if case .text(let t) = $0.v { t } else { nil } } },
                       ["TL-A", "tealine", "Pedro", "BOP", "INV-A", "Forbes", "PO-A"])
        // Every sheet prints one page wide, with page N of M.
        for sheet in book.sheets {
            XCTAssertEqual(sheet.print.fitToWidth, 1, sheet.name)
            XCTAssertTrue(sheet.print.footer?.contains("page &P of &N") == true, sheet.name)
        }
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
            select coalesce(sum(kg) filter (where root_kind = 'untraced'), 0)::float8, sum(kg)::float8, count(distinct root_code)::int
              from facts.shipment_attribution
             where request_code in (select request_code from facts.shipment where order_code = 'ORD-2001')
            """).first!
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Allocated to the shipments (kg)")), try attribution.decode(Double.self, 1), accuracy: 0.001)
        XCTAssertEqual(try XCTUnwrap(summaryValue(summary, "Untraced (kg)")), try attribution.decode(Double.self, 0), accuracy: 0.001)
        XCTAssertEqual(summary.row(labelled: "Untraced (kg)")?[3]?.v, .text("batch B-3 has no recorded inputs"), "the reason")
        XCTAssertEqual(try XCTUnwrap(number(summary.row(labelled: "Lot TL-A (kg)")?[2])), 64.1667 / 80, accuracy: 0.0001, "each lot's share")
        XCTAssertEqual(book.sheet("Receiving")?.rows.count, (try attribution.decode(Int.self, 2)) + 2, "one row per root lot")
        XCTAssertEqual(book.sheet("Shipping")?.rows[1][6]?.v, .text("Dispatched at (Asia/Colombo)"))
        XCTAssertEqual(book.sheet("Genealogy")?.images, 1)
    }

    func testAMissingGraphvizIsAnOperationalErrorNamingThePackage() throws {
        let sources = try SampleFacts.make("audit_nodot")
        let out = try TemporaryDirectory()
        let run = try CommandLineRun.run(["trace", "lot", "TL-A", "--xlsx", out.url.appendingPathComponent("x.xlsx").path],
                                         environment: ["MTP_MANAGER_URL": sources.manager.conninfo, "MTP_GRAPHVIZ_DOT": "/nonexistent/dot"])
        XCTAssertEqual(run.status, 3)
        XCTAssertTrue(run.stderr.contains("install the package graphviz"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.url.path), [], "nothing written")
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
