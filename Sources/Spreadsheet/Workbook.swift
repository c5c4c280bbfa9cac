import Foundation

/// An .xlsx workbook being written. Only ``Workbook/write(to:constantMemory:_:)`` makes one: it closes the
/// library's workbook on every path (`workbook_close` frees it) and renames the finished file into place, so a
/// reader never sees half a workbook and a failure leaves the previous file.
public final class Workbook {
    private let handle: LibXLSXWriter.WorkbookHandle
    private var sheetNames: [String] = []

    private init(handle: LibXLSXWriter.WorkbookHandle) {
        self.handle = handle
    }

    /// Writes a workbook at `url` through `body`; the file appears (atomically, by rename) only when all went well.
    public static func write<T>(to url: URL, constantMemory: Bool = true, _ body: (Workbook) throws -> T) throws -> T {
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue,
              FileManager.default.isWritableFile(atPath: directory.path) else {
            throw SpreadsheetError(message: "output directory \(directory.path) does not exist or is not writable")
        }
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

    /// Adds a sheet; refuses a name Excel would refuse (length, characters, duplicates).
    public func addSheet(_ name: String) throws -> Sheet {
        try SpreadsheetError.check(LibXLSXWriter.validateSheetName(handle, name), sheet: name)
        guard let sheet = LibXLSXWriter.addSheet(handle, name) else {
            throw SpreadsheetError(message: "libxlsxwriter refused the sheet", sheet: name)
        }
        sheetNames.append(name)
        return Sheet(handle: sheet, name: name)
    }
}

/// One sheet of a ``Workbook``; valid while the workbook is being written.
public struct Sheet {
    let handle: LibXLSXWriter.SheetHandle
    /// The sheet's name.
    public let name: String

    /// Writes text (always as text: a leading `=` never becomes a formula).
    public func write(_ text: String, row: UInt32, column: UInt16) throws {
        try SpreadsheetError.check(LibXLSXWriter.writeString(handle, row, column, text), sheet: name, row: row, column: column)
    }

    /// Writes a number; NaN and infinity are refused before they reach the library (they corrupt the file).
    public func write(_ number: Double, row: UInt32, column: UInt16) throws {
        guard number.isFinite else {
            throw SpreadsheetError(message: "\(number) is not a number a spreadsheet can hold", sheet: name,
                                   cell: SpreadsheetError.cellName(row: row, column: column))
        }
        try SpreadsheetError.check(LibXLSXWriter.writeNumber(handle, row, column, number), sheet: name, row: row, column: column)
    }
}
