import Foundation
import Postgres
import Spreadsheet

/// Writes report definitions as sheets: each query's rows stream from PostgreSQL (COPY text) straight into its
/// sheet, so no sheet is ever held in memory; then the charts are drawn over the rows written.
public struct ReportWriter {
    /// What one sheet received.
    public struct SheetResult: Sendable {
        /// The sheet's name.
        public var sheet: String
        /// The rows written.
        public var rows: Int
        /// The sheets it took (a name, then `Name (2)`... past Excel's row limit).
        public var parts: [String]
    }

    /// The time zone time stamps are shown in (named in their headers).
    public var timeZone: String
    /// Rows per sheet before a continuation sheet (Excel's limit unless a test lowers it).
    public var rowLimit: UInt32 = TableSheet.excelRowLimit

    /// A writer showing time stamps in `timeZone`, continuing a sheet past `rowLimit` rows on another.
    public init(timeZone: String, rowLimit: UInt32 = TableSheet.excelRowLimit) {
        self.timeZone = timeZone
        self.rowLimit = rowLimit
    }

    /// Checks, before anything is written, that every query runs and returns as many columns as its layout has.
    private func validate(_ definitions: [ReportDefinition], connection: Connection) throws {
        for definition in definitions where definition.picture == nil {
            let place = definition.file?.path ?? definition.sheet
            let columns: [String]
            do {
                columns = try connection.query("select * from (\(definition.sql ?? "")) q limit 0").columns
            } catch let error as PostgresError {
                throw PipelineError(.operational, "\(place): its query fails: \(error.message)")
            }
            guard columns.count == definition.columns.count else {
                throw PipelineError(.operational, "\(place): the query returns \(columns.count) columns (\(columns.joined(separator: ", "))), the layout has \(definition.columns.count)")
            }
        }
    }

    /// Checks every definition against its query, then writes them all, in order, as the workbook `file` (which
    /// appears by rename when whole); `progress` hears each sheet's rows as they go. With a `layout`, the workbook
    /// takes its title, subject and printed footer from it, every text filled from `settings`.
    public func writeWorkbook(_ definitions: [ReportDefinition], layout: WorkbookLayout?, settings: ReportSettings, created: Date?,
                       pictures: [String: ReportPicture] = [:], to file: URL, connection: Connection,
                       progress: (String, Int) -> Void = { _, _ in }) throws -> [SheetResult] {
        try validate(definitions, connection: connection)
        for definition in definitions {
            if let name = definition.picture, pictures[name] == nil {
                throw PipelineError(.operational, "\(definition.file?.path ?? definition.sheet): this report draws no picture \(name)")
            }
        }
        let pageSetup = try layout?.pageSetup(settings)
        return try Workbook.write(to: file) { workbook in
            if let layout {
                try workbook.setProperties(title: try settings.fill(layout.title), subject: try settings.fill(layout.subject),
                                           author: "mtp-etl", created: created ?? Date())
            }
            return try definitions.map { definition in
                do {
                    if let name = definition.picture, let picture = pictures[name] {
                        return try write(picture, as: definition, into: workbook, settings: settings, pageSetup: pageSetup)
                    }
                    return try write(definition, into: workbook, settings: settings, pageSetup: pageSetup, connection: connection, progress: progress)
                } catch let error as PipelineError {
                    throw PipelineError(error.kind, "sheet \(definition.sheet) (\(definition.file?.lastPathComponent ?? "")): \(error.message)")
                }
            }
        }
    }

    /// A sheet holding a picture: its title, a line saying what the picture shows, and the picture at screen size,
    /// the sheet printed on one landscape page.
    private func write(_ picture: ReportPicture, as definition: ReportDefinition, into workbook: Workbook, settings: ReportSettings,
                       pageSetup: PageSetup?) throws -> SheetResult {
        let sheet = try workbook.addSheet(definition.sheet)
        try sheet.write(try settings.fill(definition.title), row: 0, column: 0, format: try workbook.format(.title))
        try sheet.write(picture.note, row: 1, column: 0)
        try sheet.insertPNG(picture.png, row: 3, column: 0, scale: picture.scale, description: picture.note)
        var setup = pageSetup ?? PageSetup()
        setup.orientation = definition.print?.orientation ?? .landscape
        setup.fitToHeight = true
        try sheet.setPage(setup, contentWidth: 0, repeatRows: nil)
        return SheetResult(sheet: definition.sheet, rows: 0, parts: [definition.sheet])
    }

    private func write(_ definition: ReportDefinition, into workbook: Workbook, settings: ReportSettings, pageSetup: PageSetup?,
                       connection: Connection, progress: (String, Int) -> Void) throws -> SheetResult {
        let visible = definition.visibleColumns
        let columns = try visible.map { column -> TableColumn in
            let kind = ColumnKind(rawValue: column.type) ?? .text
            let header = try settings.fill(column.header)
            return TableColumn(kind == .dateTime ? "\(header) (\(timeZone))" : header, kind, wrapWidth: column.wrap)
        }
        let highlights = (definition.highlights ?? []).map { highlight -> RowHighlight in
            let index = UInt16(definition.visibleIndex(of: highlight.column) ?? 0)
            let letter = SpreadsheetError.columnName(index)
            let test: String
            if let text = highlight.equals {
                test = "=$\(letter){row}=\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\""
            } else if let above = highlight.above {
                test = "=AND(ISNUMBER($\(letter){row}),$\(letter){row}>\(above))"
            } else {
                test = "=AND(ISNUMBER($\(letter){row}),$\(letter){row}<\(highlight.below ?? 0))"
            }
            return RowHighlight(formula: test, format: highlight.style.format, column: highlight.scope == .cell ? index : nil)
        }
        let dataBars = (definition.dataBars ?? []).map { bars in
            DataBar(column: UInt16(definition.visibleIndex(of: bars.column) ?? 0), minimum: bars.min, maximum: bars.max)
        }
        var sheetSetup = pageSetup
        if let orientation = definition.print?.orientation { sheetSetup?.orientation = orientation }
        let table = try TableSheet(workbook: workbook, name: definition.sheet, title: try settings.fill(definition.title), columns: columns,
                                   highlights: highlights, dataBars: dataBars, pageSetup: sheetSetup, rowLimit: rowLimit)
        var reader = CopyTextCells(definition.columns.map { column in
            if column.hidden == true { return .hidden }
            if column.type == "variant" { return .variant(kindFrom: column.kindFrom ?? 0) }
            return .shown(ColumnKind(rawValue: column.type) ?? .text)
        })
        var rowNumber = 0
        _ = try connection.copyOut("copy (\(definition.sql ?? "")) to stdout") { chunk in
            try reader.forEachRow(in: chunk, rowNumber: &rowNumber) { cells in try table.append(cells) }
            progress(definition.sheet, table.rowCount)
        }
        let parts = try table.finish()
        for chart in definition.charts ?? [] {
            guard let first = parts.first, !first.dataRows.isEmpty, let at = CellAddress(chart.at) else { continue }
            let last = min(first.dataRows.upperBound, first.dataRows.lowerBound + UInt32(chart.maxRows ?? Int(UInt32.max - first.dataRows.lowerBound)))
            let series = chart.values.enumerated().map { index, header in
                ChartSeries(header, column: UInt16(definition.visibleIndex(of: header) ?? 0), color: chart.color(of: index))
            } + (chart.references ?? []).enumerated().map { index, header in
                ChartSeries(header, column: UInt16(definition.visibleIndex(of: header) ?? 0),
                            color: chart.color(of: chart.values.count + index) ?? 0x595959, isReference: true)
            }
            let spec = ChartSpec(kind: chart.kind, title: try settings.fill(chart.title), dataSheet: first.sheet,
                                 categoryColumn: UInt16(definition.visibleIndex(of: chart.categories) ?? 0), series: series,
                                 rows: first.dataRows.lowerBound...(last - 1), xAxis: try chart.xAxis.map { try settings.fill($0) },
                                 yAxis: try chart.yAxis.map { try settings.fill($0) }, valueFormat: chart.valueFormat,
                                 valueMinimum: chart.valueMin, valueMaximum: chart.valueMax)
            try workbook.insertChart(spec, on: chart.on ?? first.sheet, row: at.row, column: at.column,
                                     size: (chart.width ?? ChartSpec.defaultSize.width, chart.height ?? ChartSpec.defaultSize.height))
        }
        return SheetResult(sheet: definition.sheet, rows: table.rowCount, parts: parts.map(\.sheet))
    }
}
