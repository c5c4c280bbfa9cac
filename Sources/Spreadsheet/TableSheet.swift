/// What a table column holds, which decides its cell type and number format.
public enum ColumnKind: String, Sendable, Codable, CaseIterable {
    /// Text cells.
    case text
    /// Whole numbers, `#,##0`.
    case integer
    /// Numbers that name something (a request, a shipment), without thousands separators: `0`.
    case identifier
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
        case .text: return nil
        case .boolean: return .boolean
        case .integer: return .integer
        case .identifier: return .identifier
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
    /// For long text (a message, a path): the column's fixed width in characters, its text wrapped onto as many
    /// lines as it needs (the row grows), so that it prints whole. Nil: the width follows the content, up to 60.
    public var wrapWidth: Double?

    /// Describes a column.
    public init(_ header: String, _ kind: ColumnKind, wrapWidth: Double? = nil) {
        self.header = header
        self.kind = kind
        self.wrapWidth = wrapWidth
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
    private let dataBars: [DataBar]
    private let pageSetup: PageSetup?
    private let rowLimit: UInt32
    private let columnFormats: [Format?]
    private let wrappedColumns: [Int]
    private let kindFormats: [ColumnKind: Format]
    private let headerFormats: [Format], titleFormat: Format
    private var widths: [Double]
    private var sheet: Sheet
    private var nextRow: UInt32 = 0
    private var firstDataRow: UInt32 = 0
    private var parts: [Part] = []
    /// Data rows written so far, over all parts.
    public private(set) var rowCount = 0

    /// Starts the table on a new sheet `name`, printed as `pageSetup` says (nil: the program's defaults).
    /// `rowLimit` is Excel's unless a test lowers it.
    public init(workbook: Workbook, name: String, title: String?, columns: [TableColumn], highlights: [RowHighlight] = [],
                dataBars: [DataBar] = [], pageSetup: PageSetup? = nil, rowLimit: UInt32 = TableSheet.excelRowLimit) throws {
        precondition(!columns.isEmpty && columns.count <= 16_384, "a table has 1 to 16,384 columns")
        self.workbook = workbook
        self.name = name
        self.title = title
        self.columns = columns
        self.highlights = highlights
        self.dataBars = dataBars
        self.pageSetup = pageSetup
        self.rowLimit = rowLimit
        self.wrappedColumns = columns.indices.filter { columns[$0].wrapWidth != nil }
        self.columnFormats = try columns.map { column in
            var format = column.kind.cellFormat
            if column.wrapWidth != nil { format = CellFormat(numberFormat: format?.numberFormat, wrap: true) }
            return try format.map { try workbook.format($0) }
        }
        var kindFormats: [ColumnKind: Format] = [:]
        for kind in ColumnKind.allCases { if let spec = kind.cellFormat { kindFormats[kind] = try workbook.format(spec) } }
        self.kindFormats = kindFormats
        self.headerFormats = try columns.map { try workbook.format($0.kind == .text || $0.kind == .boolean ? .header : .numberHeader) }
        self.titleFormat = try workbook.format(.title)
        self.widths = columns.map { $0.wrapWidth ?? Self.headerWidth($0.header) }
        self.sheet = try workbook.addSheet(name)
        try startPart()
    }

    private func startPart() throws {
        nextRow = 0
        if let title {
            try sheet.write(title, row: 0, column: 0, format: titleFormat)
            nextRow = 1
        }
        // Spreadsheet programs do not grow a row for wrapped text on their own: the header row is made as tall as
        // its most wrapped header at the column's least width.
        let lines = zip(columns, widths).map { Self.wrappedLines($0.header, width: $1, bold: true) }.max() ?? 1
        if lines > 1 { try sheet.setHeight(15 * Double(lines), row: nextRow) }
        for (index, column) in columns.enumerated() {
            try sheet.write(column.header, row: nextRow, column: UInt16(index), format: headerFormats[index])
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
        // Rows do not grow for wrapped text on their own: a row with long text in a wrapped column is made as tall
        // as its most wrapped cell (in constant-memory mode, before its first cell).
        var lines = 1
        for index in wrappedColumns {
            if case .text(let text) = cells[index], text.count > Int(widths[index]) - 2 {
                lines = max(lines, Self.wrappedLines(text, width: widths[index]))
            }
        }
        if lines > 1 { try sheet.setHeight(15 * Double(min(lines, 20)), row: row) }
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
                try sheet.write(value, row: row, column: column, format: columnFormats[index])
                width = 5
            case .blank:
                width = 0
            }
            if width + 2 > widths[index], columns[index].wrapWidth == nil { widths[index] = min(width + 2, Self.maximumWidth) }
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
            let rows = firstDataRow...(nextRow - 1)
            for highlight in highlights {
                let formula = highlight.formula.replacingOccurrences(of: "{row}", with: String(firstDataRow + 1))
                try sheet.highlight(rows: rows, columns: highlight.column.map { $0...$0 } ?? 0...lastColumn, when: formula,
                                    format: try workbook.format(highlight.format))
            }
            for bar in dataBars {
                try sheet.dataBars(rows: rows, column: bar.column, minimum: bar.minimum, maximum: bar.maximum, color: bar.color)
            }
        }
        if let pageSetup {
            try sheet.setPage(pageSetup, contentWidth: widths.reduce(0, +), repeatRows: 0...headerRow)
        }
        parts.append(Part(sheet: sheet.name, dataRows: firstDataRow..<nextRow))
    }

    /// The least width a header needs: its longest word (headers wrap between words) and half its length, so
    /// that it wraps onto two or three lines at most, and no less than 8.
    static func headerWidth(_ header: String) -> Double {
        let longestWord = header.split(separator: " ").map(\.count).max() ?? 0
        return min(max(Double(longestWord) + 3, Double(header.count / 2 + 3), 8), maximumWidth)
    }

    /// The lines `text` wraps onto, word by word, in a column `width` characters wide; a word longer than a line
    /// is broken. Bold text (a header) is a little wider.
    static func wrappedLines(_ text: String, width: Double, bold: Bool = false) -> Int {
        let room = max(1, Int(((width - 1) / (bold ? 1.1 : 1.0)).rounded(.down)))
        var lines = 1, used = 0
        for word in text.split(separator: " ") {
            if used > 0, used + 1 + word.count <= room {
                used += 1 + word.count
                continue
            }
            if used > 0 { lines += 1 }
            lines += (word.count - 1) / room
            used = (word.count - 1) % room + 1
        }
        return lines
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
        case .text, .integer, .identifier, .decimal:
            var magnitude = abs(value), digits = 1.0
            while magnitude >= 10, digits < 16 { magnitude /= 10; digits += 1 }
            let separators = ((digits - 1) / 3).rounded(.down)
            return digits + (kind == .identifier ? 0 : separators) + (value < 0 ? 1 : 0) + (kind == .decimal ? 3 : 0)
        }
    }
}
