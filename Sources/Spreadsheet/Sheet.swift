/// One sheet of a ``Workbook``; valid while the workbook is being written. In constant-memory mode rows must
/// be written in order (a row once left cannot be written again).
public struct Sheet {
    let handle: LibXLSXWriter.SheetHandle
    /// The sheet's name.
    public let name: String

    /// The most characters a cell holds (Excel's limit).
    public static let maximumTextLength = 32_767

    /// Writes text, always as text (a leading `=`, `+`, `-` or `@` never becomes a formula). Text longer than
    /// Excel's limit is cut, ending with a visible `[... cut: N characters]` marker.
    public func write(_ text: String, row: UInt32, column: UInt16, format: Format? = nil) throws {
        let status: LibXLSXWriter.Status
        if text.utf8.count > Self.maximumTextLength, text.unicodeScalars.count > Self.maximumTextLength {
            status = LibXLSXWriter.writeString(handle, row, column, Self.cut(text), format?.handle)
        } else {
            status = LibXLSXWriter.writeString(handle, row, column, text, format?.handle)
        }
        try SpreadsheetError.check(status, sheet: name, row: row, column: column)
    }

    /// `text` cut to Excel's limit, marker included.
    static func cut(_ text: String) -> String {
        let total = text.unicodeScalars.count
        var marker = ""
        var kept = Self.maximumTextLength
        // The marker names how much was cut; its own length depends on that number, so settle it in a loop.
        for _ in 0..<3 {
            marker = " [... cut: \(total - kept) characters]"
            kept = Self.maximumTextLength - marker.unicodeScalars.count
        }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(kept))
        return String(scalars) + marker
    }

    /// Writes a number; NaN and infinity are refused before they reach the library (they corrupt the file).
    public func write(_ number: Double, row: UInt32, column: UInt16, format: Format? = nil) throws {
        guard number.isFinite else {
            throw SpreadsheetError(message: "\(number) is not a number a spreadsheet can hold", sheet: name,
                                   cell: SpreadsheetError.cellName(row: row, column: column))
        }
        try SpreadsheetError.check(LibXLSXWriter.writeNumber(handle, row, column, number, format?.handle), sheet: name, row: row, column: column)
    }

    /// Writes TRUE or FALSE as a boolean cell.
    public func write(_ value: Bool, row: UInt32, column: UInt16, format: Format? = nil) throws {
        try SpreadsheetError.check(LibXLSXWriter.writeBoolean(handle, row, column, value, format?.handle), sheet: name, row: row, column: column)
    }

    /// Writes an empty cell that keeps its format (without a format there is nothing to write).
    public func writeBlank(row: UInt32, column: UInt16, format: Format? = nil) throws {
        guard let format else { return }
        try SpreadsheetError.check(LibXLSXWriter.writeBlank(handle, row, column, format.handle), sheet: name, row: row, column: column)
    }

    /// Sets a column's width in characters.
    public func setWidth(_ width: Double, column: UInt16) throws {
        try SpreadsheetError.check(LibXLSXWriter.setColumn(handle, column, width: width), sheet: name)
    }

    /// Inserts a PNG picture at a cell, `scale` times its size in pixels; `description` is its alternative text.
    /// Refuses data that is not a PNG.
    public func insertPNG(_ png: [UInt8], row: UInt32, column: UInt16, scale: Double, description: String) throws {
        guard PNGSize(png) != nil else {
            throw SpreadsheetError(message: "the picture is not a PNG image", sheet: name, cell: SpreadsheetError.cellName(row: row, column: column))
        }
        try SpreadsheetError.check(LibXLSXWriter.insertImage(handle, row, column, png, scale: scale, description: description),
                                   sheet: name, row: row, column: column)
    }

    /// Sets a row's height in points (in constant-memory mode, before the row's first cell).
    public func setHeight(_ height: Double, row: UInt32) throws {
        try SpreadsheetError.check(LibXLSXWriter.setRowHeight(handle, row, height), sheet: name, row: row, column: 0)
    }

    /// Freezes the rows above `rows` and the columns left of `columns`.
    public func freeze(rows: UInt32, columns: UInt16 = 0) {
        LibXLSXWriter.freezePanes(handle, rows: rows, columns: columns)
    }

    /// Puts filter buttons on `headerRow` over the columns, down to `lastRow`.
    public func autofilter(headerRow: UInt32, lastRow: UInt32, columns: ClosedRange<UInt16>) throws {
        try SpreadsheetError.check(LibXLSXWriter.autofilter(handle, headerRow, columns.lowerBound, max(lastRow, headerRow), columns.upperBound),
                                   sheet: name)
    }

    /// Prints the sheet as `setup` says, repeating `repeatRows` at the top of every page; `contentWidth` (the
    /// columns' widths added up, in characters) decides an automatic orientation.
    public func setPage(_ setup: PageSetup, contentWidth: Double, repeatRows: ClosedRange<UInt32>?) throws {
        LibXLSXWriter.setPaper(handle, 9)    // A4
        LibXLSXWriter.setLandscape(handle, setup.isLandscape(contentWidth: contentWidth))
        LibXLSXWriter.setMargins(handle, left: 0.5, right: 0.5, top: 0.6, bottom: 0.75)
        if setup.fitToWidth { LibXLSXWriter.fitToPages(handle, width: 1, height: setup.fitToHeight ? 1 : 0) }
        if let repeatRows {
            try SpreadsheetError.check(LibXLSXWriter.repeatRows(handle, repeatRows.lowerBound, repeatRows.upperBound), sheet: name)
        }
        if let footer = setup.footer {
            try SpreadsheetError.check(LibXLSXWriter.setFooter(handle, footer.code, margin: 0.3), sheet: name)
        }
    }

    /// Draws solid data bars of `color` in the cells of `rows` x `column`, scaled from `minimum` to `maximum`
    /// (the cells' own lowest and highest when nil).
    public func dataBars(rows: ClosedRange<UInt32>, column: UInt16, minimum: Double?, maximum: Double?, color: UInt32) throws {
        try SpreadsheetError.check(LibXLSXWriter.conditionalDataBar(handle, rows.lowerBound, column, rows.upperBound, column,
                                                                    minimum: minimum, maximum: maximum, color: color),
                                   sheet: name)
    }

    /// Formats the cells of `rows` x `columns` with `format` where `formula` (written for the range's top left
    /// cell, e.g. `=$J3="Poor"`) is true.
    public func highlight(rows: ClosedRange<UInt32>, columns: ClosedRange<UInt16>, when formula: String, format: Format) throws {
        try SpreadsheetError.check(LibXLSXWriter.conditionalFormula(handle, rows.lowerBound, columns.lowerBound, rows.upperBound,
                                                                    columns.upperBound, formula: formula, format: format.handle),
                                   sheet: name)
    }
}

