/// How a cell looks: number format, font and fill. Made into a ``Format`` once per workbook with
/// ``Workbook/format(_:)``, then given to every cell that uses it.
public struct CellFormat: Hashable, Sendable {
    /// Excel number format, e.g. `#,##0.00`; nil for General.
    public var numberFormat: String?
    /// Bold font.
    public var bold: Bool
    /// Font size in points; nil for the default (11).
    public var fontSize: Double?
    /// Font colour as 0xRRGGBB; nil for the default.
    public var fontColor: UInt32?
    /// Solid fill colour as 0xRRGGBB; nil for none.
    public var fill: UInt32?
    /// A thin line under the cell.
    public var bottomBorder: Bool
    /// Wraps long text inside the cell.
    public var wrap: Bool

    /// Makes a format; every part defaults to Excel's default.
    public init(numberFormat: String? = nil, bold: Bool = false, fontSize: Double? = nil, fontColor: UInt32? = nil,
                fill: UInt32? = nil, bottomBorder: Bool = false, wrap: Bool = false) {
        self.numberFormat = numberFormat
        self.bold = bold
        self.fontSize = fontSize
        self.fontColor = fontColor
        self.fill = fill
        self.bottomBorder = bottomBorder
        self.wrap = wrap
    }

    /// Whole numbers with thousands separators: `#,##0`.
    public static let integer = CellFormat(numberFormat: "#,##0")
    /// Kilograms and other decimals: `#,##0.00`.
    public static let decimal = CellFormat(numberFormat: "#,##0.00")
    /// A fraction shown as a percentage: `0.0%` (0.953 shows 95.3%).
    public static let percent = CellFormat(numberFormat: "0.0%")
    /// A calendar date: `yyyy-mm-dd`.
    public static let date = CellFormat(numberFormat: "yyyy-mm-dd")
    /// A time stamp to the minute: `yyyy-mm-dd hh:mm`.
    public static let dateTime = CellFormat(numberFormat: "yyyy-mm-dd hh:mm")
    /// A column header: bold on a light fill with a line beneath.
    public static let header = CellFormat(bold: true, fill: 0xDDEBF7, bottomBorder: true)
    /// A sheet's title row.
    public static let title = CellFormat(bold: true, fontSize: 13)
    /// A row that needs attention (conditional highlight): dark red on light red.
    public static let alert = CellFormat(fontColor: 0x9C0006, fill: 0xFFC7CE)
    /// A row to look at (conditional highlight): dark yellow on light yellow.
    public static let caution = CellFormat(fontColor: 0x9C5700, fill: 0xFFEB9C)
}

/// A format registered in one workbook; valid while that workbook is being written.
public struct Format {
    let handle: LibXLSXWriter.FormatHandle
}
