/// The kinds of chart a sheet can carry.
public enum ChartKind: String, Sendable, Codable, CaseIterable {
    /// Horizontal bars.
    case bar
    /// Vertical columns.
    case column
    /// A line through the points.
    case line
    /// A pie of the values.
    case pie
}

/// One series of a chart: a value column of the data sheet, with its name and look.
public struct ChartSeries: Sendable {
    /// The legend's name for it.
    public var name: String
    /// The value column (0-based).
    public var column: UInt16
    /// Its colour as 0xRRGGBB; nil for the program's own.
    public var color: UInt32?
    /// A reference line (a threshold, a target): thin and dashed, without markers, so the data stands out.
    public var isReference: Bool

    /// Describes a series.
    public init(_ name: String, column: UInt16, color: UInt32? = nil, isReference: Bool = false) {
        self.name = name
        self.column = column
        self.color = color
        self.isReference = isReference
    }
}

/// A chart drawn from a range of one sheet: one series per value column, categories from another column.
public struct ChartSpec: Sendable {
    /// A chart's size unless told otherwise: 480 x 288 pixels, libxlsxwriter's and Excel's default.
    public static let defaultSize = (width: 480.0, height: 288.0)

    /// The kind of chart.
    public var kind: ChartKind
    /// The chart's title.
    public var title: String
    /// The sheet holding the data.
    public var dataSheet: String
    /// The column of category labels (0-based).
    public var categoryColumn: UInt16
    /// The series, one per value column.
    public var series: [ChartSeries]
    /// The first and last data rows (0-based, inclusive).
    public var rows: ClosedRange<UInt32>
    /// Axis titles, when wanted.
    public var xAxis: String?, yAxis: String?
    /// The value axis's number format, like its data's (`0%` for yields, `#,##0` for kilograms).
    public var valueFormat: String?
    /// The value axis's bounds; nil lets the program choose.
    public var valueMinimum: Double?, valueMaximum: Double?

    /// Describes a chart.
    public init(kind: ChartKind, title: String, dataSheet: String, categoryColumn: UInt16, series: [ChartSeries],
                rows: ClosedRange<UInt32>, xAxis: String? = nil, yAxis: String? = nil, valueFormat: String? = nil,
                valueMinimum: Double? = nil, valueMaximum: Double? = nil) {
        self.kind = kind
        self.title = title
        self.dataSheet = dataSheet
        self.categoryColumn = categoryColumn
        self.series = series
        self.rows = rows
        self.xAxis = xAxis
        self.yAxis = yAxis
        self.valueFormat = valueFormat
        self.valueMinimum = valueMinimum
        self.valueMaximum = valueMaximum
    }
}
