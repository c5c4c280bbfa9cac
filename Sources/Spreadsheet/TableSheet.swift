/// What a table column holds, which decides its cell type and number format.
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
    /// Text cells.
    case text
    /// Whole numbers, `#,##0`.
    case integer
    /// Decimals such as kilograms, `#,##0.00`.
    case decimal
    /// Fractions shown as percentages, `0.0%`.
    case percent
    /// Dates (Excel serials), `yyyy-mm-dd`.
    case date
    /// Time stamps (Excel serials), `yyyy-mm-dd hh:mm`.
    case dateTime
    /// TRUE / FALSE cells.
    case boolean

    /// The format a column of this kind gets.
    public var cellFormat: CellFormat? {
        switch self {
        case .text, .boolean: return nil
        case .integer: return .integer
        case .decimal: return .decimal
        case .percent: return .percent
        case .date: return .date
        case .dateTime: return .dateTime
        }
    }
}

/// One value of a table row.
public enum Cell: Sendable {
    /// Text.
    case text(String)
    /// A number (or a date serial), shown in the column's format, or in `kind`'s format when given.
    case number(Double, kind: ColumnKind? = nil)
    /// TRUE or FALSE.
    case boolean(Bool)
    /// Nothing.
    case blank
}

/// A column of a ``TableSheet``.
public struct TableColumn: Sendable {
    /// The header a reader sees, with its unit: `Input (kg)`.
    public var header: String
    /// What the column holds.
    public var kind: ColumnKind

    /// Describes a column.
    public init(_ header: String, _ kind: ColumnKind) {
        self.header = header
        self.kind = kind
    }
}

/// A conditional highlight of whole data rows, e.g. `=$J{row}="Poor"`: `{row}` stands for the first data row.
public struct RowHighlight: Sendable {
    /// The rule, an Excel formula for the first data row.
    public var formula: String
    /// How matching rows look.
    public var format: CellFormat

    /// Describes a highlight.
    public init(formula: String, format: CellFormat) {
        self.formula = formula
        self.format = format
    }
}

/// A table written row by row: an optional title row, a styled, frozen header with filter buttons, column
/// widths measured from the content (libxlsxwriter 1.1.4 has no autofit), and a continuation sheet
/// `<Name> (2)` when a sheet reaches Excel's row limit. Nothing but the widths is kept in memory.
public final class TableSheet {
    /// Where part of a table landed: the sheet and its data rows (0-based, inclusive; empty when no rows).
    public struct Part: Sendable {
        /// The sheet's name.
        public var sheet: String
        /// The data rows on it.
        public var dataRows: Range<UInt32>
    }

    /// Excel's rows per sheet.
    public static let excelRowLimit: UInt32 = 1_048_576
    /// The widest a column is made, in characters.
    public static let maximumWidth = 60.0

    private let workbook: Workbook
    private let name: String
    private let title: String?
    private let columns: [TableColumn]
    private let highlights: [RowHighlight]
    private let rowLimit: UInt32
    private let columnFormats: [Format?]
    private let kindFormats: [ColumnKind: Format]
    private let headerFormat: Format, titleFormat: Format
    private var widths: [Double]
    private var sheet: Sheet
    private var nextRow: UInt32 = 0
    private var firstDataRow: UInt32 = 0
    private var parts: [Part] = []
    /// Data rows written so far, over all parts.
    public private(set) var rowCount = 0

    /// Starts the table on a new sheet `name`. `rowLimit` is Excel's unless a test lowers it.
    public init(workbook: Workbook, name: String, title: String?, columns: [TableColumn], highlights: [RowHighlight] = [],
                rowLimit: UInt32 = TableSheet.excelRowLimit) throws {
        precondition(!columns.isEmpty && columns.count <= 16_384, "a table has 1 to 16,384 columns")
        self.workbook = workbook
        self.name = name
        self.title = title
        self.columns = columns
        self.highlights = highlights
        self.rowLimit = rowLimit
        self.columnFormats = try columns.map { try $0.kind.cellFormat.map { try workbook.format($0) } }
        var kindFormats: [ColumnKind: Format] = [:]
        for kind in ColumnKind.allCases { if let spec = kind.cellFormat { kindFormats[kind] = try workbook.format(spec) } }
        self.kindFormats = kindFormats
        self.headerFormat = try workbook.format(.header)
        self.titleFormat = try workbook.format(.title)
        self.widths = columns.map { min(Double($0.header.count) + 3, Self.maximumWidth) }
        self.sheet = try workbook.addSheet(name)
        try startPart()
    }

    private func startPart() throws {
        nextRow = 0
        if let title {
            try sheet.write(title, row: 0, column: 0, format: titleFormat)
            nextRow = 1
        }
        for (index, column) in columns.enumerated() {
            try sheet.write(column.header, row: nextRow, column: UInt16(index), format: headerFormat)
        }
        nextRow += 1
        firstDataRow = nextRow
    }

    /// Appends one row; `cells` has one value per column.
    public func append(_ cells: [Cell]) throws {
        precondition(cells.count == columns.count, "a row has one cell per column")
        if nextRow >= rowLimit {
            try finishPart()
            sheet = try workbook.addSheet(Self.continuationName(name, part: parts.count + 1))
            try startPart()
        }
        let row = nextRow
        for index in cells.indices {
            let column = UInt16(index)
            let width: Double
            switch cells[index] {
            case .text(let text):
                try sheet.write(text, row: row, column: column, format: columnFormats[index])
                width = Double(min(text.utf8.count, 200))
            case .number(let value, let kind):
                let kind = kind ?? columns[index].kind
                try sheet.write(value, row: row, column: column, format: kind == columns[index].kind ? columnFormats[index] : kindFormats[kind])
                width = Self.displayWidth(value, kind)
            case .boolean(let value):
                try sheet.write(value, row: row, column: column)
                width = 5
            case .blank:
                width = 0
            }
            if width + 2 > widths[index] { widths[index] = min(width + 2, Self.maximumWidth) }
        }
        nextRow += 1
        rowCount += 1
    }

    /// Finishes the table (widths, frozen header, filter, highlights on every part) and says where it landed.
    @discardableResult
    public func finish() throws -> [Part] {
        try finishPart()
        return parts
    }

    private func finishPart() throws {
        for (index, width) in widths.enumerated() { try sheet.setWidth(width, column: UInt16(index)) }
        let headerRow = firstDataRow - 1
        let lastColumn = UInt16(columns.count - 1)
        sheet.freeze(rows: firstDataRow)
        try sheet.autofilter(headerRow: headerRow, lastRow: nextRow - 1, columns: 0...lastColumn)
        if nextRow > firstDataRow {
            for highlight in highlights {
                let formula = highlight.formula.replacingOccurrences(of: "{row}", with: String(firstDataRow + 1))
                try sheet.highlight(rows: firstDataRow...(nextRow - 1), columns: 0...lastColumn, when: formula,
                                    format: try workbook.format(highlight.format))
            }
        }
        parts.append(Part(sheet: sheet.name, dataRows: firstDataRow..<nextRow))
    }

    /// `Name (2)`, shortened so that it stays within Excel's 31 characters.
    static func continuationName(_ name: String, part: Int) -> String {
        let suffix = " (\(part))"
        return String(name.prefix(31 - suffix.count)) + suffix
    }

    /// About how many characters a number takes in its format.
    static func displayWidth(_ value: Double, _ kind: ColumnKind) -> Double {
        switch kind {
        case .date: return 10
        case .dateTime: return 16
        case .percent: return 7
        case .boolean: return 5
        case .text, .integer, .decimal:
            var magnitude = abs(value), digits = 1.0
            while magnitude >= 10, digits < 16 { magnitude /= 10; digits += 1 }
            let separators = ((digits - 1) / 3).rounded(.down)
            return digits + separators + (value < 0 ? 1 : 0) + (kind == .decimal ? 3 : 0)
        }
    }
}
