import Foundation
import Spreadsheet

/// One sheet of a report, as `reports/<workbook>/NN_name.json` defines it: the SQL query (a file beside it) and
/// the sheet's layout. Adding a sheet is adding a file; no Swift changes.
public struct ReportDefinition: Decodable, Sendable {
    /// One column of the sheet, matched to the query's columns by position.
    public struct Column: Decodable, Sendable {
        /// The header a reader sees, with its unit (`Input (kg)`); time stamp columns get the time zone added.
        public var header: String
        /// `text`, `integer`, `decimal`, `percent`, `date`, `dateTime`, `boolean`, or `variant` (the kind is
        /// read, per row, from the query column named by `kindFrom`).
        public var type: String
        /// For `variant`: the 0-based query column holding each row's kind.
        public var kindFrom: Int?
        /// A query column that is read but not shown (e.g. a variant's kind).
        public var hidden: Bool?
        /// Long text wrapped at this many characters (the row grows), so that it prints whole.
        public var wrap: Double?
    }

    /// A conditional format of rows, or of one column's cells, where the value in `column` equals a text, or
    /// lies above or below a number.
    public struct Highlight: Decodable, Sendable {
        /// What a highlight colours.
        public enum Scope: String, Decodable, Sendable {
            /// The whole row.
            case row
            /// Only the tested column's cell.
            case cell
        }

        /// The header of the column tested.
        public var column: String
        /// Matches rows whose cell is this text.
        public var equals: String?
        /// Matches rows whose cell is above this number.
        public var above: Double?
        /// Matches rows whose cell is below this number.
        public var below: Double?
        /// How matching cells look.
        public var style: HighlightStyle
        /// The row (default) or only the cell.
        public var scope: Scope?
    }

    /// Data bars in a number column, from `min` (an empty bar) to `max` (a full one); the column's own extremes
    /// when not given.
    public struct DataBars: Decodable, Sendable {
        /// The header of the column.
        public var column: String
        /// The value of an empty bar.
        public var min: Double?
        /// The value of a full bar.
        public var max: Double?
    }

    /// How the sheet prints, beyond the workbook's common settings.
    public struct Print: Decodable, Sendable {
        /// `portrait`, `landscape` or `automatic` (the default: landscape when the columns are wide).
        public var orientation: PageSetup.Orientation?
    }

    /// A chart over this sheet's rows, drawn here or on another sheet.
    public struct Chart: Decodable, Sendable {
        /// `bar`, `column`, `line` or `pie`.
        public var kind: ChartKind
        /// The chart's title; may name report settings such as `{report_date}`.
        public var title: String
        /// The header of the category column.
        public var categories: String
        /// The headers of the value columns, one series each.
        public var values: [String]
        /// Value columns drawn as thin dashed reference lines (thresholds, targets).
        public var references: [String]?
        /// The series' colours, `#RRGGBB`, in the order of `values`, then `references`.
        public var colors: [String]?
        /// The sheet to draw on (default: this one).
        public var on: String?
        /// The top left cell, e.g. `E2`.
        public var at: String
        /// At most this many rows (the first ones in the query's order).
        public var maxRows: Int?
        /// Axis titles.
        public var xAxis: String?, yAxis: String?
        /// The value axis's number format, like its data's: `0%`, `#,##0`.
        public var valueFormat: String?
        /// The value axis's bounds.
        public var valueMin: Double?, valueMax: Double?
        /// The chart's size in pixels at 100 % (default 480 x 288).
        public var width: Double?, height: Double?

        /// The series' colours as 0xRRGGBB (nil where not given).
        func color(of index: Int) -> UInt32? {
            guard let colors, index < colors.count else { return nil }
            return Self.rgb(colors[index])
        }

        static func rgb(_ text: String) -> UInt32? {
            guard text.count == 7, text.hasPrefix("#") else { return nil }
            return UInt32(text.dropFirst(), radix: 16)
        }
    }

    /// The sheet's name, as the workbook shows it.
    public var sheet: String
    /// The title row above the header: what the sheet covers; may name report settings (`{period_start}`).
    public var title: String
    /// The SQL file beside the definition.
    public var query: String?
    /// The columns, in the query's order.
    public var columns: [Column]
    /// A sheet holding a picture the report draws (`genealogy`) instead of a query's rows.
    public var picture: String?
    /// Conditional formats of rows or cells.
    public var highlights: [Highlight]?
    /// Data bars.
    public var dataBars: [DataBars]?
    /// How it prints.
    public var print: Print?
    /// Charts.
    public var charts: [Chart]?

    /// The definition file it came from (set when loaded).
    public var file: URL?
    /// The query's text (set when loaded).
    public var sql: String?

    enum CodingKeys: String, CodingKey {
        case sheet, title, query, columns, picture, highlights, dataBars, print, charts
    }

    /// Reads a definition; a picture sheet has neither query nor columns.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sheet = try container.decode(String.self, forKey: .sheet)
        title = try container.decode(String.self, forKey: .title)
        picture = try container.decodeIfPresent(String.self, forKey: .picture)
        query = try container.decodeIfPresent(String.self, forKey: .query)
        columns = try container.decodeIfPresent([Column].self, forKey: .columns) ?? []
        highlights = try container.decodeIfPresent([Highlight].self, forKey: .highlights)
        dataBars = try container.decodeIfPresent([DataBars].self, forKey: .dataBars)
        print = try container.decodeIfPresent(Print.self, forKey: .print)
        charts = try container.decodeIfPresent([Chart].self, forKey: .charts)
        guard (query == nil) != (picture == nil), picture != nil || !columns.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "a sheet has a query and its columns, or a picture"))
        }
    }

    /// Reads every definition of `reports/<name>/`, in file-name order, with its query; refuses a definition
    /// that does not make sense (unknown column type, missing query, a highlight or chart naming no column).
    public static func load(_ directory: URL) throws -> [ReportDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".json") && $0 != WorkbookLayout.fileName }.sorted()
        } catch {
            throw PipelineError(.operational, "report definitions \(directory.path) cannot be read: \(error.localizedDescription)")
        }
        guard !names.isEmpty else { throw PipelineError(.operational, "no report definitions in \(directory.path)") }
        return try names.map { name in
            let file = directory.appendingPathComponent(name)
            var definition: ReportDefinition
            do {
                definition = try JSONDecoder().decode(ReportDefinition.self, from: Data(contentsOf: file))
            } catch let error as DecodingError {
                throw PipelineError(.operational, "\(file.path): \(Self.describe(error))")
            }
            definition.file = file
            if let query = definition.query {
                guard let sql = try? String(contentsOf: directory.appendingPathComponent(query), encoding: .utf8) else {
                    throw PipelineError(.operational, "\(file.path): its query \(query) cannot be read")
                }
                definition.sql = sql.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ";")))
            }
            try definition.validate()
            return definition
        }
    }

    private func validate() throws {
        let place = file?.path ?? sheet
        for (index, column) in columns.enumerated() {
            if column.type == "variant" {
                guard let source = column.kindFrom, columns.indices.contains(source), columns[source].hidden == true else {
                    throw PipelineError(.operational, "\(place): variant column \(column.header) needs kindFrom naming a hidden column")
                }
            } else if ColumnKind(rawValue: column.type) == nil {
                throw PipelineError(.operational, "\(place): column \(index + 1) (\(column.header)) has unknown type \(column.type); use one of \(ColumnKind.allCases.map(\.rawValue).joined(separator: ", ")) or variant")
            }
        }
        for highlight in highlights ?? [] {
            guard visibleIndex(of: highlight.column) != nil else {
                throw PipelineError(.operational, "\(place): highlight names column \(highlight.column), which the sheet does not show")
            }
            guard [highlight.equals != nil, highlight.above != nil, highlight.below != nil].filter({ $0 }).count == 1 else {
                throw PipelineError(.operational, "\(place): a highlight of \(highlight.column) needs exactly one of equals, above, below")
            }
        }
        for bars in dataBars ?? [] where visibleIndex(of: bars.column) == nil {
            throw PipelineError(.operational, "\(place): data bars name column \(bars.column), which the sheet does not show")
        }
        for chart in charts ?? [] {
            for header in [chart.categories] + chart.values + (chart.references ?? []) where visibleIndex(of: header) == nil {
                throw PipelineError(.operational, "\(place): chart \(chart.title) names column \(header), which the sheet does not show")
            }
            for color in chart.colors ?? [] where Chart.rgb(color) == nil {
                throw PipelineError(.operational, "\(place): chart \(chart.title) has colour \(color); write colours as #RRGGBB")
            }
            guard CellAddress(chart.at) != nil else {
                throw PipelineError(.operational, "\(place): chart \(chart.title) is placed at \(chart.at), which is not a cell like E2")
            }
        }
    }

    /// The shown columns, in order.
    var visibleColumns: [Column] { columns.filter { $0.hidden != true } }

    /// The 0-based position of a shown column among the shown columns.
    func visibleIndex(of header: String) -> Int? {
        visibleColumns.firstIndex { $0.header == header }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(context.debugDescription) at \(path(context))"
        @unknown default:
            return "\(error)"
        }
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? "the top" : path
    }
}

/// A cell address such as `E2`, 0-based.
struct CellAddress {
    var row: UInt32
    var column: UInt16

    init?(_ text: String) {
        let letters = text.prefix { $0.isASCII && $0.isLetter }.uppercased()
        guard !letters.isEmpty, letters.count <= 3, let number = UInt32(text.dropFirst(letters.count)), number >= 1 else { return nil }
        var column = 0
        for scalar in letters.unicodeScalars { column = column * 26 + Int(scalar.value) - 64 }
        self.row = number - 1
        self.column = UInt16(column - 1)
    }
}
