import CXLSXWriter

/// A failure of libxlsxwriter or of a value given to it, naming the sheet and cell.
public struct SpreadsheetError: Error, CustomStringConvertible, Sendable {
    /// libxlsxwriter's message (`lxw_strerror`), or what was refused before reaching it.
    public var message: String
    /// The sheet, when one was concerned.
    public var sheet: String?
    /// The cell in A1 notation, when one was concerned.
    public var cell: String?

    /// Makes an error.
    public init(message: String, sheet: String? = nil, cell: String? = nil) {
        self.message = message
        self.sheet = sheet
        self.cell = cell
    }

    /// `message (sheet S, cell C)`.
    public var description: String {
        let place = [sheet.map { "sheet \($0)" }, cell.map { "cell \($0)" }].compactMap { $0 }
        return place.isEmpty ? message : "\(message) (\(place.joined(separator: ", ")))"
    }

    /// Converts a library status into a thrown error: the one helper all C status codes go through.
    static func check(_ status: lxw_error, sheet: String? = nil, row: UInt32? = nil, column: UInt16? = nil) throws {
        guard !LibXLSXWriter.isSuccess(status) else { return }
        throw SpreadsheetError(message: LibXLSXWriter.message(status), sheet: sheet,
                               cell: row.flatMap { row in column.map { cellName(row: row, column: $0) } })
    }

    /// `A1` notation of a 0-based cell.
    public static func cellName(row: UInt32, column: UInt16) -> String {
        "\(columnName(column))\(row + 1)"
    }

    /// The letters of a 0-based column: `A`, ..., `Z`, `AA`, ...
    public static func columnName(_ column: UInt16) -> String {
        var letters = ""
        var n = Int(column) + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            n = (n - 1) / 26
        }
        return letters
    }
}
