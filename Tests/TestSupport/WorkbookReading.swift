import Foundation

/// A workbook as an independent reader (openpyxl, through `scripts/read-xlsx`) sees it.
public struct WorkbookReading: Decodable {
    /// One cell: its type (`s` text, `n` number, `b` boolean, `d` date), value and number format.
    public struct CellValue: Decodable, Equatable {
        /// `s`, `n`, `b` or `d`.
        public var t: String
        /// The value: text, number, boolean or ISO date.
        public var v: JSONValue
        /// The number format.
        public var f: String

        /// A cell as expected.
        public init(t: String, v: JSONValue, f: String) {
            self.t = t
            self.v = v
            self.f = f
        }
    }

    /// A JSON scalar.
    public enum JSONValue: Decodable, Equatable {
        case text(String), number(Double), boolean(Bool)

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) { self = .boolean(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else { self = .text(try container.decode(String.self)) }
        }
    }

    /// How a sheet prints.
    public struct PrintSettings: Decodable, Equatable {
        public var orientation: String?
        public var paper: Int?
        public var fitToWidth: Int?
        public var fitToHeight: Int?
        public var titleRows: String?
        public var footer: String?
        public var margins: [Double]
    }

    /// One sheet.
    public struct SheetReading: Decodable {
        public var name: String
        public var freeze: String?
        public var autofilter: String?
        public var widths: [String: Double]
        public var conditional: [String]
        public var print: PrintSettings
        public var charts: Int
        public var images: Int
        public var rows: [[CellValue?]]

        /// The first row whose first cell is `label`.
        public func row(labelled label: String) -> [CellValue?]? {
            rows.first { $0.first??.v == .text(label) }
        }

        /// The text of a cell, or nil.
        public func text(_ row: Int, _ column: Int) -> String? {
            guard row < rows.count, column < rows[row].count, let cell = rows[row][column], case .text(let text) = cell.v else { return nil }
            return text
        }

        /// The number of a cell, or nil.
        public func number(_ row: Int, _ column: Int) -> Double? {
            guard row < rows.count, column < rows[row].count, let cell = rows[row][column], case .number(let n) = cell.v else { return nil }
            return n
        }
    }

    /// Document properties.
    public struct Properties: Decodable {
        public var title: String?
        public var subject: String?
        public var creator: String?
        public var created: String?
    }

    public var sheets: [SheetReading]
    public var properties: Properties

    /// The sheet called `name`.
    public func sheet(_ name: String) -> SheetReading? { sheets.first { $0.name == name } }

    /// Reads `file` with openpyxl; fails with how to install it when it is missing.
    public static func read(_ file: URL) throws -> WorkbookReading {
        let script = TestServer.projectRoot.appendingPathComponent("scripts/read-xlsx")
        let process = Process()
        // The system's python3 (apt's python3-openpyxl), whatever python3 comes first on PATH.
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script.path, file.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReadingError(message: "scripts/read-xlsx could not read \(file.path) (is python3-openpyxl installed? `make test` runs scripts/setup, which installs it): \(errors)")
        }
        return try JSONDecoder().decode(WorkbookReading.self, from: data)
    }

    /// The reader failed.
    public struct ReadingError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
