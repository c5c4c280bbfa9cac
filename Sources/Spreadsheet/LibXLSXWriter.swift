import CXLSXWriter
import Foundation

/// Every raw libxlsxwriter call the module makes, in one place.
enum LibXLSXWriter {
    typealias WorkbookHandle = UnsafeMutablePointer<lxw_workbook>
    typealias SheetHandle = UnsafeMutablePointer<lxw_worksheet>
    typealias FormatHandle = UnsafeMutablePointer<lxw_format>
    typealias ChartHandle = UnsafeMutablePointer<lxw_chart>
    typealias SeriesHandle = UnsafeMutablePointer<lxw_chart_series>
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

    static func setAlignRight(_ format: FormatHandle) {
        format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
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

    /// A row's height in points; in constant-memory mode before any cell of the row is written.
    static func setRowHeight(_ sheet: SheetHandle, _ row: UInt32, _ height: Double) -> lxw_error {
        worksheet_set_row(sheet, row, height, nil)
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

    /// A data bar over a range: a solid bar of `color` from `minimum` to `maximum` (the range's own extremes
    /// when nil).
    static func conditionalDataBar(_ sheet: SheetHandle, _ firstRow: UInt32, _ firstColumn: UInt16, _ lastRow: UInt32,
                                   _ lastColumn: UInt16, minimum: Double?, maximum: Double?, color: UInt32) -> lxw_error {
        var rule = lxw_conditional_format()
        rule.type = UInt8(LXW_CONDITIONAL_DATA_BAR.rawValue)
        rule.bar_color = lxw_color_t(color)
        rule.bar_solid = 1
        if let minimum {
            rule.min_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
            rule.min_value = minimum
        }
        if let maximum {
            rule.max_rule_type = UInt8(LXW_CONDITIONAL_RULE_TYPE_NUMBER.rawValue)
            rule.max_value = maximum
        }
        return worksheet_conditional_format_range(sheet, firstRow, firstColumn, lastRow, lastColumn, &rule)
    }

    // MARK: Printing

    static func setLandscape(_ sheet: SheetHandle, _ landscape: Bool) {
        if landscape { worksheet_set_landscape(sheet) } else { worksheet_set_portrait(sheet) }
    }

    static func setPaper(_ sheet: SheetHandle, _ paper: UInt8) {
        worksheet_set_paper(sheet, paper)
    }

    /// `width` pages wide and `height` tall; 0 leaves that direction free.
    static func fitToPages(_ sheet: SheetHandle, width: UInt16, height: UInt16) {
        worksheet_fit_to_pages(sheet, width, height)
    }

    static func repeatRows(_ sheet: SheetHandle, _ first: UInt32, _ last: UInt32) -> lxw_error {
        worksheet_repeat_rows(sheet, first, last)
    }

    /// Margins in inches.
    static func setMargins(_ sheet: SheetHandle, left: Double, right: Double, top: Double, bottom: Double) {
        worksheet_set_margins(sheet, left, right, top, bottom)
    }

    /// A footer in Excel's header/footer codes (`&L`, `&C`, `&R`, `&P`, `&N`, `&A`); the library copies it.
    static func setFooter(_ sheet: SheetHandle, _ code: String, margin: Double) -> lxw_error {
        var options = lxw_header_footer_options()
        options.margin = margin
        return worksheet_set_footer_opt(sheet, code, &options)
    }

    /// Inserts a PNG held in memory (the library copies it), scaled, its top left corner at the cell.
    static func insertImage(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ png: [UInt8], scale: Double,
                            description: String) -> lxw_error {
        description.withCString { description in
            var options = lxw_image_options()
            options.x_scale = scale
            options.y_scale = scale
            options.description = UnsafeMutablePointer(mutating: description)
            return png.withUnsafeBufferPointer { buffer in
                worksheet_insert_image_buffer_opt(sheet, row, column, buffer.baseAddress, buffer.count, &options)
            }
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

    /// Adds a series over a sheet's ranges; nil when the library refused it.
    static func addSeries(_ chart: ChartHandle, name: String, sheet: String, categoryColumn: UInt16, valueColumn: UInt16,
                          firstRow: UInt32, lastRow: UInt32) -> SeriesHandle? {
        guard let series = chart_add_series(chart, nil, nil) else { return nil }
        chart_series_set_categories(series, sheet, firstRow, categoryColumn, lastRow, categoryColumn)
        chart_series_set_values(series, sheet, firstRow, valueColumn, lastRow, valueColumn)
        chart_series_set_name(series, name)
        return series
    }

    /// The title, in bold 11 pt (the library's default of 14 pt crowds a chart the size of a page's half).
    static func setChartTitle(_ chart: ChartHandle, _ title: String) {
        chart_title_set_name(chart, title)
        var font = lxw_chart_font()
        font.size = 11
        font.bold = 1
        chart_title_set_name_font(chart, &font)
    }

    /// Styles a series: a line of `color` (nil: the library's), dashed or solid, thin without markers or 2.25 pt
    /// with them; or, for bars and columns (`filled`), a solid fill of `color`.
    static func styleSeries(_ series: SeriesHandle, color: UInt32?, dashed: Bool, thin: Bool, filled: Bool) {
        if filled {
            guard let color else { return }
            var fill = lxw_chart_fill()
            fill.color = lxw_color_t(color)
            chart_series_set_fill(series, &fill)
            return
        }
        var line = lxw_chart_line()
        if let color { line.color = lxw_color_t(color) }
        line.width = thin ? 1.0 : 2.25
        line.dash_type = UInt8(dashed ? LXW_CHART_LINE_DASH_DASH.rawValue : LXW_CHART_LINE_DASH_SOLID.rawValue)
        chart_series_set_line(series, &line)
        chart_series_set_marker_type(series, UInt8(thin ? LXW_CHART_MARKER_NONE.rawValue : LXW_CHART_MARKER_AUTOMATIC.rawValue))
    }

    /// Axis titles, and the value axis's number format (`0%`, `#,##0`) and bounds, when given. In a bar chart the
    /// library's x axis is the value axis (the bars run along it).
    static func setAxes(_ chart: ChartHandle, category: String?, value: String?, valueFormat: String?, minimum: Double?, maximum: Double?,
                        horizontalBars: Bool) {
        guard let xAxis = chart.pointee.x_axis, let yAxis = chart.pointee.y_axis else { return }
        let (categoryAxis, valueAxis) = horizontalBars ? (yAxis, xAxis) : (xAxis, yAxis)
        if let category { chart_axis_set_name(categoryAxis, category) }
        if let value { chart_axis_set_name(valueAxis, value) }
        if let valueFormat { chart_axis_set_num_format(valueAxis, valueFormat) }
        if let minimum { chart_axis_set_min(valueAxis, minimum) }
        if let maximum { chart_axis_set_max(valueAxis, maximum) }
    }

    static func setLegendAtBottom(_ chart: ChartHandle) {
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
    }


    /// Places a chart scaled from the library's 480 x 288 pixels.
    static func insertChart(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ chart: ChartHandle, xScale: Double, yScale: Double) -> lxw_error {
        var options = lxw_chart_options()
        options.x_scale = xScale
        options.y_scale = yScale
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
