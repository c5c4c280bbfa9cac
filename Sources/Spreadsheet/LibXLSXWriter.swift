import CXLSXWriter
import Foundation

/// Every raw libxlsxwriter call the module makes, in one place.
enum LibXLSXWriter {
    typealias WorkbookHandle = UnsafeMutablePointer<lxw_workbook>
    typealias SheetHandle = UnsafeMutablePointer<lxw_worksheet>
    typealias FormatHandle = UnsafeMutablePointer<lxw_format>
    typealias ChartHandle = UnsafeMutablePointer<lxw_chart>
    typealias Status = lxw_error

    // MARK: Workbook

    static func newWorkbook(_ path: String, constantMemory: Bool, temporaryDirectory: String?) -> WorkbookHandle? {
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        options.use_zip64 = 1
        return withOptionalCString(temporaryDirectory) { tmpdir in
            options.tmpdir = tmpdir.map { UnsafeMutablePointer(mutating: $0) }
            return workbook_new_opt(path, &options)
        }
    }

    /// Writes the file and frees the workbook, whatever the outcome.
    static func close(_ workbook: WorkbookHandle) -> lxw_error {
        workbook_close(workbook)
    }

    static func addSheet(_ workbook: WorkbookHandle, _ name: String) -> SheetHandle? {
        workbook_add_worksheet(workbook, name)
    }

    static func validateSheetName(_ workbook: WorkbookHandle, _ name: String) -> lxw_error {
        workbook_validate_sheet_name(workbook, name)
    }

    /// Sets the document properties; the library copies the strings.
    static func setProperties(_ workbook: WorkbookHandle, title: String, subject: String, author: String, created: Date) -> lxw_error {
        title.withCString { title in
            subject.withCString { subject in
                author.withCString { author in
                    var properties = lxw_doc_properties()
                    properties.title = UnsafeMutablePointer(mutating: title)
                    properties.subject = UnsafeMutablePointer(mutating: subject)
                    properties.author = UnsafeMutablePointer(mutating: author)
                    properties.created = time_t(created.timeIntervalSince1970.rounded(.down))
                    return workbook_set_properties(workbook, &properties)
                }
            }
        }
    }

    // MARK: Formats (owned by the workbook, freed by workbook_close)

    static func addFormat(_ workbook: WorkbookHandle) -> FormatHandle? {
        workbook_add_format(workbook)
    }

    static func setNumberFormat(_ format: FormatHandle, _ pattern: String) {
        format_set_num_format(format, pattern)
    }

    static func setBold(_ format: FormatHandle) {
        format_set_bold(format)
    }

    static func setFontSize(_ format: FormatHandle, _ size: Double) {
        format_set_font_size(format, size)
    }

    static func setFontColor(_ format: FormatHandle, _ color: UInt32) {
        format_set_font_color(format, lxw_color_t(color))
    }

    static func setFill(_ format: FormatHandle, _ color: UInt32) {
        format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
        format_set_bg_color(format, lxw_color_t(color))
    }

    static func setBottomBorder(_ format: FormatHandle) {
        format_set_bottom(format, UInt8(LXW_BORDER_THIN.rawValue))
    }

    static func setWrap(_ format: FormatHandle) {
        format_set_text_wrap(format)
    }

    // MARK: Cells

    static func writeString(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ text: String, _ format: FormatHandle?) -> lxw_error {
        worksheet_write_string(sheet, row, column, text, format)
    }

    static func writeNumber(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ value: Double, _ format: FormatHandle?) -> lxw_error {
        worksheet_write_number(sheet, row, column, value, format)
    }

    static func writeBoolean(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ value: Bool, _ format: FormatHandle?) -> lxw_error {
        worksheet_write_boolean(sheet, row, column, value ? 1 : 0, format)
    }

    static func writeBlank(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ format: FormatHandle?) -> lxw_error {
        worksheet_write_blank(sheet, row, column, format)
    }

    // MARK: Sheet layout

    static func setColumn(_ sheet: SheetHandle, _ column: UInt16, width: Double) -> lxw_error {
        worksheet_set_column(sheet, column, column, width, nil)
    }

    static func freezePanes(_ sheet: SheetHandle, rows: UInt32, columns: UInt16) {
        worksheet_freeze_panes(sheet, rows, columns)
    }

    static func autofilter(_ sheet: SheetHandle, _ firstRow: UInt32, _ firstColumn: UInt16, _ lastRow: UInt32, _ lastColumn: UInt16) -> lxw_error {
        worksheet_autofilter(sheet, firstRow, firstColumn, lastRow, lastColumn)
    }

    /// A formula rule (`=$J3="Poor"`) over a range; the library copies the rule.
    static func conditionalFormula(_ sheet: SheetHandle, _ firstRow: UInt32, _ firstColumn: UInt16, _ lastRow: UInt32,
                                   _ lastColumn: UInt16, formula: String, format: FormatHandle) -> lxw_error {
        formula.withCString { formula in
            var rule = lxw_conditional_format()
            rule.type = UInt8(LXW_CONDITIONAL_TYPE_FORMULA.rawValue)
            rule.value_string = UnsafeMutablePointer(mutating: formula)
            rule.format = format
            return worksheet_conditional_format_range(sheet, firstRow, firstColumn, lastRow, lastColumn, &rule)
        }
    }

    // MARK: Charts (owned by the workbook)

    static func addChart(_ workbook: WorkbookHandle, _ type: ChartKind) -> ChartHandle? {
        let raw: lxw_chart_type
        switch type {
        case .bar: raw = LXW_CHART_BAR
        case .column: raw = LXW_CHART_COLUMN
        case .line: raw = LXW_CHART_LINE
        case .pie: raw = LXW_CHART_PIE
        }
        return workbook_add_chart(workbook, UInt8(raw.rawValue))
    }

    /// Adds a series over a sheet's ranges; false when the library refused it.
    static func addSeries(_ chart: ChartHandle, name: String, sheet: String, categoryColumn: UInt16, valueColumn: UInt16,
                          firstRow: UInt32, lastRow: UInt32) -> Bool {
        guard let series = chart_add_series(chart, nil, nil) else { return false }
        chart_series_set_categories(series, sheet, firstRow, categoryColumn, lastRow, categoryColumn)
        chart_series_set_values(series, sheet, firstRow, valueColumn, lastRow, valueColumn)
        chart_series_set_name(series, name)
        return true
    }

    static func setChartTitle(_ chart: ChartHandle, _ title: String) {
        chart_title_set_name(chart, title)
    }

    static func setAxisNames(_ chart: ChartHandle, x: String?, y: String?) {
        if let x, let axis = chart.pointee.x_axis { chart_axis_set_name(axis, x) }
        if let y, let axis = chart.pointee.y_axis { chart_axis_set_name(axis, y) }
    }

    static func insertChart(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ chart: ChartHandle, scale: Double) -> lxw_error {
        var options = lxw_chart_options()
        options.x_scale = scale
        options.y_scale = scale
        return worksheet_insert_chart_opt(sheet, row, column, chart, &options)
    }

    // MARK: Status

    static func message(_ error: lxw_error) -> String {
        String(cString: lxw_strerror(error))
    }

    static func isSuccess(_ error: lxw_error) -> Bool {
        error == LXW_NO_ERROR
    }

    private static func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let text else { return body(nil) }
        return text.withCString { body($0) }
    }
}
