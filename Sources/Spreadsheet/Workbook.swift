import Foundation

/// An .xlsx workbook being written. Only ``Workbook/write(to:constantMemory:_:)`` makes one: it closes the
/// library's workbook on every path (`workbook_close` frees it and everything it owns: sheets, formats, charts)
/// and renames the finished file into place, so a reader never sees half a workbook and a failure leaves the
/// previous file.
public final class Workbook {
    private let handle: LibXLSXWriter.WorkbookHandle
    private var formats: [CellFormat: Format] = [:]
    private var sheets: [String: Sheet] = [:]

    private init(handle: LibXLSXWriter.WorkbookHandle) {
        self.handle = handle
    }

    /// Refuses an output directory that is missing or not writable, before any work starts (libxlsxwriter
    /// itself only fails when the workbook is closed).
    public static func checkOutputDirectory(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SpreadsheetError(message: "output directory \(directory.path) does not exist")
        }
        guard access(directory.path, W_OK | X_OK) == 0 else {
            throw SpreadsheetError(message: "output directory \(directory.path) is not writable")
        }
    }

    /// Writes a workbook at `url` through `body`; the file appears (atomically, by rename) only when all went well.
    /// Large sheets are written in constant-memory mode: rows in order, temporary files in the output directory.
    public static func write<T>(to url: URL, constantMemory: Bool = true, _ body: (Workbook) throws -> T) throws -> T {
        ensureCNumericLocale()
        let directory = url.deletingLastPathComponent()
        try checkOutputDirectory(directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp")
        guard let handle = LibXLSXWriter.newWorkbook(temporary.path, constantMemory: constantMemory, temporaryDirectory: directory.path) else {
            throw SpreadsheetError(message: "libxlsxwriter could not create a workbook at \(temporary.path)")
        }
        let workbook = Workbook(handle: handle)
        let value: T
        do {
            value = try body(workbook)
        } catch {
            _ = LibXLSXWriter.close(handle)
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let status = LibXLSXWriter.close(handle)
        do {
            try SpreadsheetError.check(status)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        // rename(2) replaces the previous workbook atomically: readers see the old file or the new one, whole.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw SpreadsheetError(message: "could not move the finished workbook to \(url.path): \(reason)")
        }
        return value
    }

    /// libxlsxwriter prints numbers with `snprintf("%.16G")`: a locale with a decimal comma would write `1,5`
    /// into the XML. The process keeps LC_NUMERIC=C.
    static func ensureCNumericLocale() {
        setlocale(LC_NUMERIC, "C")
    }

    /// Sets title, subject, author and the creation time. A fixed `created` (the data's own time, not the
    /// clock) makes the same data give a byte-identical file.
    public func setProperties(title: String, subject: String, author: String, created: Date) throws {
        try SpreadsheetError.check(LibXLSXWriter.setProperties(handle, title: title, subject: subject, author: author, created: created))
    }

    /// The workbook's format for `spec`, made on first use.
    public func format(_ spec: CellFormat) throws -> Format {
        if let format = formats[spec] { return format }
        guard let raw = LibXLSXWriter.addFormat(handle) else {
            throw SpreadsheetError(message: "libxlsxwriter could not make a format")
        }
        if let pattern = spec.numberFormat { LibXLSXWriter.setNumberFormat(raw, pattern) }
        if spec.bold { LibXLSXWriter.setBold(raw) }
        if let size = spec.fontSize { LibXLSXWriter.setFontSize(raw, size) }
        if let color = spec.fontColor { LibXLSXWriter.setFontColor(raw, color) }
        if let fill = spec.fill { LibXLSXWriter.setFill(raw, fill) }
        if spec.bottomBorder { LibXLSXWriter.setBottomBorder(raw) }
        if spec.wrap { LibXLSXWriter.setWrap(raw) }
        if spec.alignRight { LibXLSXWriter.setAlignRight(raw) }
        let format = Format(handle: raw)
        formats[spec] = format
        return format
    }

    /// Adds a sheet; refuses a name Excel would refuse (length, characters, duplicates).
    public func addSheet(_ name: String) throws -> Sheet {
        try SpreadsheetError.check(LibXLSXWriter.validateSheetName(handle, name), sheet: name)
        guard let raw = LibXLSXWriter.addSheet(handle, name) else {
            throw SpreadsheetError(message: "libxlsxwriter refused the sheet", sheet: name)
        }
        let sheet = Sheet(handle: raw, name: name)
        sheets[name] = sheet
        return sheet
    }

    /// Draws `spec` on sheet `target` with its top left corner at (`row`, `column`), `size` pixels wide and high
    /// (at 100 %; a printed page of a sheet fitted to its width scales it with the columns).
    public func insertChart(_ spec: ChartSpec, on target: String, row: UInt32, column: UInt16,
                            size: (width: Double, height: Double) = ChartSpec.defaultSize) throws {
        guard let sheet = sheets[target] else {
            throw SpreadsheetError(message: "no sheet to draw the chart \(spec.title) on", sheet: target)
        }
        guard sheets[spec.dataSheet] != nil else {
            throw SpreadsheetError(message: "chart \(spec.title) reads from a sheet that does not exist", sheet: spec.dataSheet)
        }
        guard let chart = LibXLSXWriter.addChart(handle, spec.kind) else {
            throw SpreadsheetError(message: "libxlsxwriter could not make the chart \(spec.title)", sheet: target)
        }
        for series in spec.series {
            guard let handle = LibXLSXWriter.addSeries(chart, name: series.name, sheet: spec.dataSheet, categoryColumn: spec.categoryColumn,
                                                       valueColumn: series.column, firstRow: spec.rows.lowerBound, lastRow: spec.rows.upperBound) else {
                throw SpreadsheetError(message: "libxlsxwriter refused a series of the chart \(spec.title)", sheet: spec.dataSheet)
            }
            if spec.kind != .pie {
                LibXLSXWriter.styleSeries(handle, color: series.color, dashed: series.isReference, thin: series.isReference,
                                          filled: spec.kind == .bar || spec.kind == .column)
            }
        }
        LibXLSXWriter.setChartTitle(chart, spec.title)
        LibXLSXWriter.setLegendAtBottom(chart)
        if spec.kind != .pie {
            LibXLSXWriter.setAxes(chart, category: spec.xAxis, value: spec.yAxis, valueFormat: spec.valueFormat,
                                  minimum: spec.valueMinimum, maximum: spec.valueMaximum, horizontalBars: spec.kind == .bar)
        }
        try SpreadsheetError.check(LibXLSXWriter.insertChart(sheet.handle, row, column, chart, xScale: size.width / ChartSpec.defaultSize.width,
                                                             yScale: size.height / ChartSpec.defaultSize.height),
                                   sheet: target, row: row, column: column)
    }
}
