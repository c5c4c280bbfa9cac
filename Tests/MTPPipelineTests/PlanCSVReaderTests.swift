import Foundation
import MTPPipeline
import TestSupport
import XCTest

final class PlanCSVReaderTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }

    func records(_ bytes: [UInt8], encoding: InputEncoding = .utf8, delimiter: UInt8? = nil) throws -> (UInt8, [CSVRecord]) {
        let file = directory.url.appendingPathComponent("f.csv")
        try Data(bytes).write(to: file)
        let reader = try PlanCSVReader(file: file, encoding: encoding, delimiter: delimiter)
        var all: [CSVRecord] = []
        while let record = try reader.next() {
            if !record.isBlank { all.append(record) }
        }
        return (reader.delimiter, all)
    }

    func records(_ text: String, encoding: InputEncoding = .utf8) throws -> (UInt8, [CSVRecord]) {
        try records(Array(text.utf8), encoding: encoding)
    }

    func testQuotedFieldsLineEndsAndLineNumbers() throws {
        let text = "\u{FEFF}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,\"multi\nline\r\nfield\",z\r3,,\n\n\n"
        let (delimiter, rows) = try records(text)
        XCTAssertEqual(delimiter, UInt8(ascii: ","))
        XCTAssertEqual(rows.map(\.fields), [["a", "b", "c"], ["1", "x, y", "say \"hi\""], ["2", "multi\nline\r\nfield", "z"], ["3", "", ""]])
        XCTAssertEqual(rows.map(\.line), [1, 2, 4, 7], "the physical line where each row starts: the quoted field spans lines 4-6")
    }

    func testDelimiterDetection() throws {
        XCTAssertEqual(try records("order;product;\"qty, kg\"\n1;2;3\n").0, UInt8(ascii: ";"))
        XCTAssertEqual(try records("a\tb\tc\n").0, UInt8(ascii: "\t"))
        XCTAssertEqual(try records("a|b|c\n").0, UInt8(ascii: "|"))
        XCTAssertEqual(try records("\n\na;b\n").0, UInt8(ascii: ";"), "leading blank lines are ignored")
    }

    func testInvalidUTF8NamesLineAndByteOffset() throws {
        var bytes = Array("a,b\n1,ok\n2,caf".utf8)
        bytes.append(0xE9) // é in Windows-1252, invalid alone in UTF-8
        bytes += Array("\n".utf8)
        XCTAssertThrowsError(try records(bytes)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("line 3") && text.contains("byte offset 14"), text)
            XCTAssertTrue(text.contains("--encoding windows-1252"), text)
        }
    }

    func testWindows1252AndLatin1Convert() throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0x80, 0x2C, 0x63, 0x61, 0x66, 0xE9, 0x0A] // "€,café"
        XCTAssertEqual(try records(bytes, encoding: .windows1252).1[1].fields, ["€", "café"])
        XCTAssertEqual(try records(bytes, encoding: .latin1).1[1].fields, ["\u{80}", "café"])
    }

    func testUnclosedQuoteNamesTheLineWhereItOpened() throws {
        XCTAssertThrowsError(try records("a,b\n1,2\n3,\"never closed\n4,5\n")) { error in
            XCTAssertTrue("\(error)".contains("line 3: a quote opened here is never closed"), "\(error)")
        }
    }
}
