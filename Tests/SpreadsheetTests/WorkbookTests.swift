import Foundation
import Spreadsheet
import XCTest

/// Workbooks read back by an independent reader: Python's zipfile and the sheet's XML, never the writer itself.
final class WorkbookTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-xlsx-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The named part of the .xlsx zip, as text.
    func part(_ file: URL, _ name: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", file.path, name]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "python3 could not read \(name) from \(file.lastPathComponent)")
        return String(decoding: data, as: UTF8.self)
    }

    func testCellsAreRealTextAndNumbersAndFormulaLikeTextStaysText() throws {
        let file = directory.appendingPathComponent("book.xlsx")
        try Workbook.write(to: file) { book in
            let sheet = try book.addSheet("Yield by batch")
            try sheet.write("Batch", row: 0, column: 0)
            try sheet.write("=SUM(A1:A9)", row: 1, column: 0)
            try sheet.write(95.25, row: 1, column: 1)
        }
        let workbookXML = try part(file, "xl/workbook.xml")
        XCTAssertTrue(workbookXML.contains("name=\"Yield by batch\""), workbookXML)
        let sheetXML = try part(file, "xl/worksheets/sheet1.xml")
        XCTAssertTrue(sheetXML.contains("<c r=\"B2\"><v>95.25</v></c>"), "a number cell: \(sheetXML)")
        XCTAssertFalse(sheetXML.contains("<f>"), "no formula anywhere")
        // constant_memory mode writes text as inline strings.
        XCTAssertTrue(sheetXML.contains("<c r=\"A2\" t=\"inlineStr\"><is><t>=SUM(A1:A9)</t></is></c>"), "a text cell: \(sheetXML)")
    }

    func testNaNIsRefusedAndAFailureLeavesThePreviousFile() throws {
        let file = directory.appendingPathComponent("book.xlsx")
        try Workbook.write(to: file) { try $0.addSheet("Summary").write("first", row: 0, column: 0) }
        let before = try Data(contentsOf: file)
        XCTAssertThrowsError(try Workbook.write(to: file) { book in
            let sheet = try book.addSheet("Summary")
            try sheet.write(Double.nan, row: 4, column: 2)
        }) { error in
            XCTAssertEqual("\(error)", "nan is not a number a spreadsheet can hold (sheet Summary, cell C5)")
        }
        XCTAssertEqual(try Data(contentsOf: file), before, "the previous workbook is untouched")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["book.xlsx"], "no temporary file left")
    }

    func testBadOutputDirectoryAndSheetNameAreRefused() throws {
        XCTAssertThrowsError(try Workbook.write(to: URL(fileURLWithPath: "/nonexistent/dir/book.xlsx")) { _ in }) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/dir"), "\(error)")
        }
        XCTAssertThrowsError(try Workbook.write(to: directory.appendingPathComponent("b.xlsx")) { book in
            _ = try book.addSheet("Bad[name]")
        }) { error in
            XCTAssertEqual((error as? SpreadsheetError)?.sheet, "Bad[name]")
        }
    }
}
