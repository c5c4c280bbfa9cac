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

/// A chart drawn from a range of one sheet: one series per value column, categories from another column.
public struct ChartSpec: Sendable {
    /// The kind of chart.
    public var kind: ChartKind
    /// The chart's title.
    public var title: String
    /// The sheet holding the data.
    public var dataSheet: String
    /// The column of category labels (0-based).
    public var categoryColumn: UInt16
    /// The value columns (0-based), each one series, with its name.
    public var series: [(name: String, column: UInt16)]
    /// The first and last data rows (0-based, inclusive).
    public var rows: ClosedRange<UInt32>
    /// Axis titles, when wanted.
    public var xAxis: String?, yAxis: String?

    /// Describes a chart.
    public init(kind: ChartKind, title: String, dataSheet: String, categoryColumn: UInt16, series: [(name: String, column: UInt16)],
                rows: ClosedRange<UInt32>, xAxis: String? = nil, yAxis: String? = nil) {
        self.kind = kind
        self.title = title
        self.dataSheet = dataSheet
        self.categoryColumn = categoryColumn
        self.series = series
        self.rows = rows
        self.xAxis = xAxis
        self.yAxis = yAxis
    }
}
