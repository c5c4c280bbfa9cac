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
    /// Aligned to the right (a number column's header, over its numbers).
    public var alignRight: Bool

    /// Makes a format; every part defaults to Excel's default.
    public init(numberFormat: String? = nil, bold: Bool = false, fontSize: Double? = nil, fontColor: UInt32? = nil,
                fill: UInt32? = nil, bottomBorder: Bool = false, wrap: Bool = false, alignRight: Bool = false) {
        self.numberFormat = numberFormat
        self.bold = bold
        self.fontSize = fontSize
        self.fontColor = fontColor
        self.fill = fill
        self.bottomBorder = bottomBorder
        self.wrap = wrap
        self.alignRight = alignRight
    }

    /// Whole numbers with thousands separators: `#,##0`.
    public static let integer = CellFormat(numberFormat: "#,##0")
    /// Codes that are numbers (a request, a shipment): `0`, no thousands separators.
    public static let identifier = CellFormat(numberFormat: "0")
    /// TRUE and FALSE as every program shows them (LibreOffice shows a boolean as 1 in the General format).
    public static let boolean = CellFormat(numberFormat: "\"TRUE\";\"TRUE\";\"FALSE\"")
    /// Kilograms and other decimals: `#,##0.00`.
    public static let decimal = CellFormat(numberFormat: "#,##0.00")
    /// A fraction shown as a percentage: `0.0%` (0.953 shows 95.3%).
    public static let percent = CellFormat(numberFormat: "0.0%")
    /// A calendar date: `yyyy-mm-dd`.
    public static let date = CellFormat(numberFormat: "yyyy-mm-dd")
    /// A time stamp to the minute: `yyyy-mm-dd hh:mm`.
    public static let dateTime = CellFormat(numberFormat: "yyyy-mm-dd hh:mm")
    /// A column header: bold on a light fill with a line beneath, wrapped at word breaks, so that a long header
    /// does not widen its column (spreadsheet programs fit the row's height to the wrapped header).
    public static let header = CellFormat(bold: true, fill: 0xDDEBF7, bottomBorder: true, wrap: true)
    /// The header of a column of numbers or dates: like ``header``, aligned to the right over its values.
    public static let numberHeader = CellFormat(bold: true, fill: 0xDDEBF7, bottomBorder: true, wrap: true, alignRight: true)
    /// A sheet's title row.
    public static let title = CellFormat(bold: true, fontSize: 13)
    // Conditional highlights. Blue for good and orange for bad, never red against green, so that people with
    // red-green colour blindness tell them apart; fills of different lightness, so that they differ in grey print
    // too; and always beside a text label (a rating, a status), never colour alone.

    /// Needs attention (late, an error, a poor yield): bold dark brown on orange.
    public static let alert = CellFormat(bold: true, fontColor: 0x7F2704, fill: 0xFDC48F)
    /// To look at (a warning, a fair yield): dark brown on light yellow.
    public static let caution = CellFormat(fontColor: 0x5C4400, fill: 0xFFEB9C)
    /// Very good (an excellent yield): dark blue on mid blue.
    public static let strongBlue = CellFormat(bold: true, fontColor: 0x08306B, fill: 0x9ECAE1)
    /// Good: dark blue on light blue.
    public static let blue = CellFormat(fontColor: 0x08306B, fill: 0xDEEBF7)
    /// Cannot be right (a data error): bold dark purple on light purple.
    public static let purple = CellFormat(bold: true, fontColor: 0x3F007D, fill: 0xDADAEB)
    /// Settled or not applicable: dark grey on light grey.
    public static let grey = CellFormat(fontColor: 0x404040, fill: 0xE7E7E7)
}

/// A format registered in one workbook; valid while that workbook is being written.
public struct Format {
    let handle: LibXLSXWriter.FormatHandle
}
