import CXLSXWriter

/// Every raw libxlsxwriter call the module makes, in one place.
enum LibXLSXWriter {
    typealias WorkbookHandle = UnsafeMutablePointer<lxw_workbook>
    typealias SheetHandle = UnsafeMutablePointer<lxw_worksheet>

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

    static func writeString(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ text: String) -> lxw_error {
        worksheet_write_string(sheet, row, column, text, nil)
    }

    static func writeNumber(_ sheet: SheetHandle, _ row: UInt32, _ column: UInt16, _ value: Double) -> lxw_error {
        worksheet_write_number(sheet, row, column, value, nil)
    }

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
