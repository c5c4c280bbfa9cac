import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The management workbook of the sample state, written by `mtp-etl report` and read back with openpyxl.
final class ManagementReportTests: XCTestCase {
    static let sheetNames = ["Summary", "Changes", "Trends", "Orders", "Yield by batch", "Yield by blendsheet", "Receiving", "Traceability",
                             "Reconciliation", "Import rejects"]

    func testTheWorkbookHoldsTheFactsWithRealTypesAndIsByteIdenticalOnTheSameData() throws {
        let sources = try SampleFacts.make("report")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        let environment = ["MTP_MANAGER_URL": sources.manager.conninfo]
        // The hand-built state's times are of 1970 and 2026: a period long enough lists all of it.
        let arguments = ["report", "--out", out.url.appendingPathComponent("a").path, "--date", "2026-03-31", "--timezone", "Asia/Colombo",
                         "--period-days", "36600"]
        let run = try CommandLineRun.run(arguments, environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        let file = out.url.appendingPathComponent("a/mtp-report-2026-03-31.xlsx")
        XCTAssertTrue(run.stdout.contains(file.lastPathComponent), run.stdout)
        let book = try WorkbookReading.read(file)
        XCTAssertEqual(book.sheets.map(\.name), Self.sheetNames)
        XCTAssertEqual(book.properties.title, "MTP daily report 2026-03-31")

        // Summary: the periods' dates as date cells, and both charts.
        let summary = try XCTUnwrap(book.sheet("Summary"))
        XCTAssertEqual(summary.row(labelled: "From")?[1], .init(t: "d", v: .text("2026-03-31T00:00:00"), f: "yyyy-mm-dd"))
        XCTAssertEqual(summary.row(labelled: "From")?[5], .init(t: "d", v: .text("2026-02-04T00:00:00"), f: "yyyy-mm-dd"))
        XCTAssertEqual(summary.charts, 2, "orders and yield by blendsheet")

        // Yield by batch: every batch with the database's figures; yield a real percentage.
        let yield = try XCTUnwrap(book.sheet("Yield by batch"))
        XCTAssertEqual(yield.rows[1].map { $0.flatMap { if case .text(let t) = $0.v { t } else { nil } } },
                       ["Batch", "Blendsheet", "Created at (Asia/Colombo)", "Completed", "Completed at (Asia/Colombo)", "Input (kg)",
                        "Output (kg)", "Output bags", "Loss (kg)", "Yield", "Rating"])
        XCTAssertEqual(yield.freeze, "A3")
        XCTAssertEqual(yield.autofilter, "A2:K\(yield.rows.count)")
        let batches = try manager.query("""
            select batch_code, input_kg::float8, output_kg::float8, (yield_pct / 100)::float8, rating,
                   to_char(created_at at time zone 'Asia/Colombo', 'YYYY-MM-DD"T"HH24:MI:SS'), completed
              from facts.batch_yield
            """).rows
        XCTAssertEqual(yield.rows.count - 2, batches.count)
        let rows = Dictionary(uniqueKeysWithValues: yield.rows.dropFirst(2).map { row in (row[0].flatMap { if case .text(let t) = $0.v { t } else { nil } } ?? "", row) })
        for batch in batches {
            let row = try XCTUnwrap(rows[try batch.decode(String.self, 0)])
            XCTAssertEqual(row[3], .init(t: "b", v: .boolean(try batch.decode(Bool.self, 6)), f: "\"TRUE\";\"TRUE\";\"FALSE\""))
            XCTAssertEqual(row[5], .init(t: "n", v: .number(try batch.decode(Double.self, 1)), f: "#,##0.00"))
            XCTAssertEqual(row[6]?.v, .number(try batch.decode(Double.self, 2)))
            if let pct = try batch.decode(Double?.self, 3) {
                XCTAssertEqual(row[9], .init(t: "n", v: .number(pct), f: "0.0%"))
            }
            XCTAssertEqual(row[10]?.v, (try batch.decode(String?.self, 4)).map { .text($0) })
            // Time stamps are dates in the chosen zone (openpyxl reads the microseconds it can).
            XCTAssertEqual(row[2]?.t, "d")
            guard case .text(let shown)? = row[2]?.v else { return XCTFail("no created time") }
            XCTAssertEqual(String(shown.prefix(19)), try batch.decode(String.self, 5))
        }

        // Every finding, errors first; every reject of the latest imports; traceability balancing per shipment.
        let findings = try manager.query("select count(*) filter (where severity = 'error')::float8, count(*)::float8 from facts.finding").first!
        let reconciliation = try XCTUnwrap(book.sheet("Reconciliation"))
        XCTAssertEqual(Double(reconciliation.rows.count - 2), try findings.decode(Double.self, 1))
        XCTAssertEqual(reconciliation.text(2, 0), "error")
        XCTAssertEqual(reconciliation.text(reconciliation.rows.count - 1, 0), "warning")
        let rejects = try XCTUnwrap(book.sheet("Import rejects"))
        XCTAssertEqual(rejects.rows.count - 2, try manager.query("select count(*)::int from mtp.plan_reject").first!.decode(Int.self, 0))
        XCTAssertTrue(rejects.rows.dropFirst(2).allSatisfy { $0[8]?.t == "s" }, "every reject has its reason")
        let trace = try XCTUnwrap(book.sheet("Traceability"))
        var kgByShipment: [String: Double] = [:]
        for row in trace.rows.dropFirst(2) {
            guard case .number(let request)? = row[0]?.v, case .number(let shipment)? = row[1]?.v, case .number(let kg)? = row[10]?.v else {
                return XCTFail("request, shipment and kg are numbers: \(row)")
            }
            XCTAssertEqual(row[0]?.f, "0", "a request code is shown without thousands separators")
            kgByShipment["\(Int(request))/\(Int(shipment))", default: 0] += kg
        }
        for row in try manager.query("select request_code || '/' || shipment_code, sum(kg)::float8 from facts.edge_record_shipment group by 1").rows {
            let shipment = try row.decode(String.self, 0), allocated = try row.decode(Double.self, 1)
            XCTAssertEqual(kgByShipment[shipment] ?? 0, allocated, accuracy: 0.001, "attributed + untraced = allocated for \(shipment)")
        }

        // The same data again: a byte-identical file.
        Thread.sleep(forTimeInterval: 1.1)
        let again = try CommandLineRun.run(["report", "--out", out.url.appendingPathComponent("b").path, "--date", "2026-03-31",
                                            "--timezone", "Asia/Colombo", "--period-days", "36600"], environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try Data(contentsOf: out.url.appendingPathComponent("b/mtp-report-2026-03-31.xlsx")), try Data(contentsOf: file))
    }

    func testABadOutputDirectoryOrTimeZoneIsRefusedBeforeAnyWork() throws {
        let out = try TemporaryDirectory()
        try out.write("occupied", "a file, not a directory")
        // The database is unreachable: the directory check comes first, so its message is the one printed.
        let environment = ["MTP_MANAGER_URL": "postgresql://nobody@127.0.0.1:1/manager?connect_timeout=1"]
        let bad = try CommandLineRun.run(["report", "--out", out.url.appendingPathComponent("occupied/reports").path], environment: environment)
        XCTAssertEqual(bad.status, 3)
        XCTAssertTrue(bad.stderr.contains("occupied/reports"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("cannot be made"), bad.stderr)

        let sources = try SampleFacts.make("report_tz")
        let zone = try CommandLineRun.run(["report", "--out", out.url.path, "--timezone", "Mars/Olympus"],
                                          environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
        XCTAssertEqual(zone.status, 2)
        XCTAssertTrue(zone.stderr.contains("unknown time zone Mars/Olympus"), zone.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.url.path), ["occupied"], "nothing written")
    }

    func testSheetsPastTheRowLimitContinueAndALayoutThatDoesNotFitItsQueryIsRefused() throws {
        let sources = try SampleFacts.make("report_split")
        let manager = try sources.manager.connect()
        let out = try TemporaryDirectory()
        // Three data rows per sheet (title and header take two).
        let result = try ManagementReport(files: SourceDatabases.files)
            .run(manager, options: .init(outputDirectory: out.url, date: "2026-03-31", periodDays: 36_600, rowLimit: 5))
        let book = try WorkbookReading.read(result.file)
        let traceRows = try manager.query("select count(*)::int from facts.shipment_attribution").first!.decode(Int.self, 0)
        let traceSheets = book.sheets.filter { $0.name.hasPrefix("Traceability") }
        XCTAssertEqual(traceSheets.map(\.name), ["Traceability"] + (2...((traceRows + 2) / 3)).map { "Traceability (\($0))" })
        XCTAssertEqual(traceSheets.reduce(0) { $0 + $1.rows.count - 2 }, traceRows, "no row lost at a split")
        XCTAssertEqual(result.sheets.first { $0.name == "Traceability" }?.rows, traceRows)
        XCTAssertTrue(traceSheets.allSatisfy { $0.text(1, 0) == "Request" && $0.freeze == "A3" })

        // A definition whose layout lists fewer columns than its query: refused naming the file, no workbook.
        let project = try TemporaryDirectory()
        try project.write("reports/management/01_bad.sql", "select 1 as a, 2 as b")
        try project.write("reports/management/01_bad.json", """
            {"sheet": "Bad", "title": "t", "query": "01_bad.sql", "columns": [{"header": "A", "type": "integer"}]}
            """)
        let target = out.url.appendingPathComponent("bad")
        XCTAssertThrowsError(try ManagementReport(files: ProjectFiles(root: project.url)).run(manager, options: .init(outputDirectory: target))) { error in
            XCTAssertTrue("\(error)".contains("01_bad.json: the query returns 2 columns (a, b), the layout has 1"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), [])
    }
}
