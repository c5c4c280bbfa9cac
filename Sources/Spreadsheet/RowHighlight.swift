/// A conditional format of a table's data rows, e.g. `=$J{row}="Poor"` (`{row}` stands for the first data row),
/// applied to whole rows or to one column's cells. Written as the spreadsheet's own conditional formatting, it
/// follows the rows when a reader sorts or filters them.
public struct RowHighlight: Sendable {
    /// The rule, an Excel formula for the first data row.
    public var formula: String
    /// How matching cells look.
    public var format: CellFormat
    /// The one column (0-based) whose cells are formatted; nil for the whole row.
    public var column: UInt16?

    /// Describes a highlight of whole rows, or of `column`'s cells.
    public init(formula: String, format: CellFormat, column: UInt16? = nil) {
        self.formula = formula
        self.format = format
        self.column = column
    }
}
