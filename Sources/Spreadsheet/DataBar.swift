/// Data bars in one column of a table: each cell's value drawn as a solid bar, written as the spreadsheet's own
/// conditional format.
public struct DataBar: Sendable {
    /// The column (0-based).
    public var column: UInt16
    /// The values an empty and a full bar stand for; nil: the column's own lowest and highest.
    public var minimum: Double?, maximum: Double?
    /// The bar's colour as 0xRRGGBB.
    public var color: UInt32

    /// A medium blue that prints as a mid grey and reads for every kind of colour vision.
    public static let defaultColor: UInt32 = 0x6BAED6

    /// Describes data bars.
    public init(column: UInt16, minimum: Double? = nil, maximum: Double? = nil, color: UInt32 = DataBar.defaultColor) {
        self.column = column
        self.minimum = minimum
        self.maximum = maximum
        self.color = color
    }
}
