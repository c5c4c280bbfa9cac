import Foundation
import Spreadsheet
import TestSupport
import XCTest

/// Tables written through the module and read back by openpyxl (scripts/read-xlsx), never by the writer.
final class TableSheetTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-table-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    static let columns = [TableColumn("Batch", .text), TableColumn("Bags", .integer), TableColumn("Input (kg)", .decimal),
                          TableColumn("Yield %", .percent), TableColumn("Made on", .date), TableColumn("Completed at (UTC)", .dateTime),
                          TableColumn("Completed", .boolean), TableColumn("Note", .text)]

    func writeSample(_ file: URL, rowLimit: UInt32 = TableSheet.excelRowLimit, rows: Int = 2) throws -> [TableSheet.Part] {
        try Workbook.write(to: file) { book in
            try book.setProperties(title: "Yield", subject: "test", author: "MTP", created: Date(timeIntervalSince1970: 1_767_225_600))
            let table = try TableSheet(workbook: book, name: "Yield by batch", title: "Yield per batch", columns: Self.columns,
                                       highlights: [RowHighlight(formula: "=$D{row}<0.75", format: .alert)], rowLimit: rowLimit)
            for index in 0..<rows {
                try table.append([.text(index == 0 ? "=SUM(A1:A9)" : "B-\(index)"), .number(Double(1200 + index)), .number(1234.5),
                                  .number(0.953), .number(ExcelDate.serial(year: 2026, month: 2, day: 1)!),
                                  .number(ExcelDate.serial(year: 2026, month: 2, day: 1, hour: 14, minute: 30, second: 0)!),
                                  .boolean(index == 0), .blank])
            }
            let parts = try table.finish()
            try book.insertChart(ChartSpec(kind: .column, title: "Input", dataSheet: parts[0].sheet, categoryColumn: 0,
                                           series: [ChartSeries("Input (kg)", column: 2)], rows: parts[0].dataRows.lowerBound...parts[0].dataRows.upperBound - 1),
                                 on: parts[0].sheet, row: 1, column: 9)
            return parts
        }
    }

    func testCellsHaveRealTypesAndFormatsAndTheHeaderIsFrozenAndFiltered() throws {
        let file = directory.appendingPathComponent("book.xlsx")
        _ = try writeSample(file)
        let book = try WorkbookReading.read(file)
        XCTAssertEqual(book.sheets.map(\.name), ["Yield by batch"])
        let sheet = try XCTUnwrap(book.sheet("Yield by batch"))
        XCTAssertEqual(sheet.text(0, 0), "Yield per batch")
        XCTAssertEqual((0..<8).map { sheet.text(1, $0) }, Self.columns.map(\.header))
        XCTAssertEqual(sheet.freeze, "A3", "title and header stay in view")
        XCTAssertEqual(sheet.autofilter, "A2:H4")
        let row = sheet.rows[2]
        XCTAssertEqual(row[0], .init(t: "s", v: .text("=SUM(A1:A9)"), f: "General"), "formula-like text stays text")
        XCTAssertEqual(row[1], .init(t: "n", v: .number(1200), f: "#,##0"))
        XCTAssertEqual(row[2], .init(t: "n", v: .number(1234.5), f: "#,##0.00"))
        XCTAssertEqual(row[3], .init(t: "n", v: .number(0.953), f: "0.0%"))
        XCTAssertEqual(row[4], .init(t: "d", v: .text("2026-02-01T00:00:00"), f: "yyyy-mm-dd"), "a date cell, not text")
        XCTAssertEqual(row[5], .init(t: "d", v: .text("2026-02-01T14:30:00"), f: "yyyy-mm-dd hh:mm"))
        XCTAssertEqual(row[6], .init(t: "b", v: .boolean(true), f: "\"TRUE\";\"TRUE\";\"FALSE\""), "TRUE in every program")
        XCTAssertNil(row[7], "blank stays empty")
        XCTAssertEqual(sheet.conditional, ["A3:H4 $D3<0.75 fill FDC48F"], "the rule names the first data row")
        XCTAssertEqual(sheet.charts, 1)
        // Widths in characters; the file adds Excel's 0.71 of padding.
        XCTAssertEqual(try XCTUnwrap(sheet.widths["F"]), 18.71, accuracy: 0.01, "a time stamp (16 characters) plus 2; its header wraps")
        XCTAssertEqual(try XCTUnwrap(sheet.widths["C"]), 10.71, accuracy: 0.01, "1,234.50 plus 2: the header Input (kg) wraps to fit")
        XCTAssertEqual(try XCTUnwrap(sheet.widths["G"]), 12.71, accuracy: 0.01, "a header of one word (Completed) does not wrap")
        XCTAssertEqual(try XCTUnwrap(sheet.widths["A"]), 13.71, accuracy: 0.01, "=SUM(A1:A9) is 11 characters, plus 2")
        XCTAssertEqual(book.properties.title, "Yield")
        XCTAssertEqual(book.properties.created, "2026-01-01T00:00:00")
    }

    func testASheetThatReachesTheRowLimitContinuesOnNumberedSheets() throws {
        let file = directory.appendingPathComponent("split.xlsx")
        // A lowered limit of 6 rows per sheet: title, header and 4 data rows; 10 rows make three sheets.
        let parts = try writeSample(file, rowLimit: 6, rows: 10)
        XCTAssertEqual(parts.map(\.sheet), ["Yield by batch", "Yield by batch (2)", "Yield by batch (3)"])
        XCTAssertEqual(parts.map(\.dataRows.count), [4, 4, 2])
        let book = try WorkbookReading.read(file)
        XCTAssertEqual(book.sheets.map(\.name), ["Yield by batch", "Yield by batch (2)", "Yield by batch (3)"])
        for sheet in book.sheets {
            XCTAssertEqual(sheet.text(1, 0), "Batch", "every part repeats the header")
            XCTAssertEqual(sheet.freeze, "A3")
        }
        let batches = book.sheets.flatMap { sheet in sheet.rows.dropFirst(2).map { $0[0] } }
        XCTAssertEqual(batches.count, 10, "no row lost or repeated at a split")
        XCTAssertEqual(book.sheets[2].text(3, 0), "B-9")
        XCTAssertEqual(book.sheets[1].autofilter, "A2:H6")
    }

    func testTextOverExcelsLimitIsCutWithAVisibleMarker() throws {
        let file = directory.appendingPathComponent("long.xlsx")
        let long = String(repeating: "é", count: 40_000)
        try Workbook.write(to: file) { book in
            try book.addSheet("Long").write(long, row: 0, column: 0)
        }
        let text = try XCTUnwrap(try WorkbookReading.read(file).sheets[0].text(0, 0))
        XCTAssertEqual(text.unicodeScalars.count, Sheet.maximumTextLength)
        XCTAssertTrue(text.hasSuffix(" [... cut: 7260 characters]"), String(text.suffix(40)))
        XCTAssertEqual(text.unicodeScalars.filter { $0 == "é" }.count, 40_000 - 7_260, "everything before the marker is the text itself")
    }

    func testTheSameDataGivesAByteIdenticalFile() throws {
        let first = directory.appendingPathComponent("first.xlsx"), second = directory.appendingPathComponent("second.xlsx")
        _ = try writeSample(first, rows: 50)
        Thread.sleep(forTimeInterval: 1.1)    // a clock-dependent byte (zip time, created) would now differ
        _ = try writeSample(second, rows: 50)
        XCTAssertEqual(try Data(contentsOf: first), try Data(contentsOf: second))
    }

    func testExcelDateSerials() {
        XCTAssertEqual(ExcelDate.serial(year: 1900, month: 3, day: 1), 61, "Excel's serial for 1900-03-01")
        XCTAssertEqual(ExcelDate.serial(year: 2026, month: 11, day: 22), 46_348)
        XCTAssertEqual(ExcelDate.serial(year: 2026, month: 11, day: 22, hour: 18, minute: 0, second: 0), 46_348.75)
        XCTAssertNil(ExcelDate.serial(year: 1899, month: 12, day: 31), "before Excel's calendar")
    }
}

/// Every chart kind lands in the file as the chart XML a spreadsheet program expects.
final class ChartTests: XCTestCase {
    func testEveryChartKindIsWrittenWithItsSeries() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-chart-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("charts.xlsx")
        try Workbook.write(to: file) { book in
            let table = try TableSheet(workbook: book, name: "Data", title: nil, columns: [TableColumn("Blendsheet", .text), TableColumn("Yield %", .percent)])
            for (name, value) in [("BS-1", 0.97), ("BS-2", 0.83), ("BS-3", 0.91)] { try table.append([.text(name), .number(value)]) }
            let part = try table.finish()[0]
            for (index, kind) in ChartKind.allCases.enumerated() {
                try book.insertChart(ChartSpec(kind: kind, title: "Yield \(kind.rawValue)", dataSheet: "Data", categoryColumn: 0,
                                               series: [ChartSeries("Yield %", column: 1)], rows: part.dataRows.lowerBound...part.dataRows.upperBound - 1),
                                     on: "Data", row: UInt32(index * 16), column: 3)
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", """
            import re, sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            for n in sorted(x for x in z.namelist() if x.startswith('xl/charts/chart')):
                x = z.read(n).decode()
                kind = [k for k in ('barChart', 'lineChart', 'pieChart') if '<c:' + k + '>' in x][0]
                bar = 'bar' if '<c:barDir val="bar"/>' in x else ('col' if '<c:barDir val="col"/>' in x else '')
                print(kind, bar, re.search(r"<c:f>'?Data'?!\\$B\\$2:\\$B\\$4</c:f>", x) is not None, x.count('<c:ser>'))
            """, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(output.split(separator: "\n").map(String.init),
                       ["barChart bar True 1", "barChart col True 1", "lineChart  True 1", "pieChart  True 1"],
                       "bar, column, line and pie, each over the data range")
    }
}
