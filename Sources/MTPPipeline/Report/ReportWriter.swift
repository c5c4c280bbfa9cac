import Foundation
import Postgres
import Spreadsheet

/// Writes report definitions as sheets: each query's rows stream from PostgreSQL (COPY text) straight into its
/// sheet, so no sheet is ever held in memory; then the charts are drawn over the rows written.
struct ReportWriter {
    /// What one sheet received.
    struct SheetResult: Sendable {
        var sheet: String
        var rows: Int
        var parts: [String]
    }

    /// The time zone time stamps are shown in (named in their headers).
    var timeZone: String
    /// Rows per sheet before a continuation sheet (Excel's limit unless a test lowers it).
    var rowLimit: UInt32 = TableSheet.excelRowLimit

    /// Checks, before anything is written, that every query runs and returns as many columns as its layout has.
    private func validate(_ definitions: [ReportDefinition], connection: Connection) throws {
        for definition in definitions {
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

    /// The document properties a workbook carries.
    struct Properties {
        var title: String
        var subject: String
        /// A time from the data keeps the file byte-identical for the same data.
        var created: Date
    }

    /// Checks every definition against its query, then writes them all, in order, as the workbook `file` (which
    /// appears by rename when whole); `progress` hears each sheet's rows as they go.
    func writeWorkbook(_ definitions: [ReportDefinition], to file: URL, properties: Properties?, connection: Connection,
                       progress: (String, Int) -> Void = { _, _ in }) throws -> [SheetResult] {
        try validate(definitions, connection: connection)
        return try Workbook.write(to: file) { workbook in
            if let properties {
                try workbook.setProperties(title: properties.title, subject: properties.subject, author: "mtp-etl", created: properties.created)
            }
            return try definitions.map { try write($0, into: workbook, connection: connection, progress: progress) }
        }
    }

    private func write(_ definition: ReportDefinition, into workbook: Workbook, connection: Connection,
                       progress: (String, Int) -> Void) throws -> SheetResult {
        let visible = definition.visibleColumns
        let columns = visible.map { column -> TableColumn in
            let kind = ColumnKind(rawValue: column.type) ?? .text
            return TableColumn(kind == .dateTime ? "\(column.header) (\(timeZone))" : column.header, kind)
        }
        let highlights = (definition.highlights ?? []).map { highlight -> RowHighlight in
            let letter = SpreadsheetError.columnName(UInt16(definition.visibleIndex(of: highlight.column) ?? 0))
            let test: String
            if let text = highlight.equals {
                test = "=$\(letter){row}=\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\""
            } else if let above = highlight.above {
                test = "=$\(letter){row}>\(above)"
            } else {
                test = "=AND(ISNUMBER($\(letter){row}),$\(letter){row}<\(highlight.below ?? 0))"
            }
            return RowHighlight(formula: test, format: highlight.style == "alert" ? .alert : .caution)
        }
        let table = try TableSheet(workbook: workbook, name: definition.sheet, title: definition.title, columns: columns,
                                   highlights: highlights, rowLimit: rowLimit)
        var reader = CopyTextCells(definition.columns.map { column in
            if column.hidden == true { return .hidden }
            if column.type == "variant" { return .variant(kindFrom: column.kindFrom ?? 0) }
            return .shown(ColumnKind(rawValue: column.type) ?? .text)
        })
        var rowNumber = 0
        do {
            _ = try connection.copyOut("copy (\(definition.sql ?? "")) to stdout") { chunk in
                try reader.forEachRow(in: chunk, rowNumber: &rowNumber) { cells in try table.append(cells) }
                progress(definition.sheet, table.rowCount)
            }
        } catch let error as PipelineError {
            throw PipelineError(error.kind, "sheet \(definition.sheet) (\(definition.file?.lastPathComponent ?? "")): \(error.message)")
        }
        let parts = try table.finish()
        for chart in definition.charts ?? [] {
            guard let first = parts.first, !first.dataRows.isEmpty, let at = CellAddress(chart.at) else { continue }
            let last = min(first.dataRows.upperBound, first.dataRows.lowerBound + UInt32(chart.maxRows ?? Int(UInt32.max - first.dataRows.lowerBound)))
            let spec = ChartSpec(kind: chart.kind, title: chart.title, dataSheet: first.sheet,
                                 categoryColumn: UInt16(definition.visibleIndex(of: chart.categories) ?? 0),
                                 series: chart.values.map { ($0, UInt16(definition.visibleIndex(of: $0) ?? 0)) },
                                 rows: first.dataRows.lowerBound...(last - 1), xAxis: chart.xAxis, yAxis: chart.yAxis)
            try workbook.insertChart(spec, on: chart.on ?? first.sheet, row: at.row, column: at.column)
        }
        return SheetResult(sheet: definition.sheet, rows: table.rowCount, parts: parts.map(\.sheet))
    }
}
