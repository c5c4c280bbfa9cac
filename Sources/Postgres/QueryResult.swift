/// The rows of one statement; owns its `PGresult` and clears it when released.
public final class QueryResult {
    private let handle: LibPQ.ResultHandle

    init(owning handle: LibPQ.ResultHandle) {
        self.handle = handle
        self.count = LibPQ.rowCount(handle)
        self.columns = (0..<LibPQ.columnCount(handle)).map { LibPQ.columnName(handle, $0) }
    }

    deinit {
        LibPQ.clear(handle)
    }

    /// The number of rows.
    public let count: Int
    /// The column names, in order.
    public let columns: [String]

    /// The number of rows the statement inserted, updated or deleted (nil for other statements).
    public var affectedRows: Int? { LibPQ.affectedRows(handle) }

    /// The rows, in order.
    public var rows: [Row] { (0..<count).map { Row(result: self, index: $0) } }

    /// The first row, if there is one.
    public var first: Row? { count > 0 ? Row(result: self, index: 0) : nil }

    func text(row: Int, column: Int) -> String? {
        LibPQ.isNull(handle, row, column) ? nil : LibPQ.value(handle, row, column)
    }

    func columnIndex(_ name: String) throws -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw PostgresError(code: .decoding, message: "no column named \(name) in result (columns: \(columns.joined(separator: ", ")))")
        }
        return index
    }
}

/// One row of a ``QueryResult``; decodes its columns into Swift types.
public struct Row {
    let result: QueryResult
    /// The row's 0-based position in its result.
    public let index: Int

    /// The column's text, or nil for SQL NULL.
    public func text(_ column: Int) -> String? {
        result.text(row: index, column: column)
    }

    /// Decodes a column that must not be NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: Int) throws -> T {
        guard let text = text(column) else {
            throw PostgresError(code: .decoding, message: "column \(result.columns[column]) is NULL, expected \(T.self)")
        }
        guard let value = T(postgresText: text) else {
            throw PostgresError(code: .decoding, message: "column \(result.columns[column]) value '\(text.prefix(80))' is not a valid \(T.self)")
        }
        return value
    }

    /// Decodes a column that may be NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, _ column: Int) throws -> T? {
        guard text(column) != nil else { return nil }
        return try decode(T.self, column)
    }

    /// Decodes a named column that must not be NULL.
    public func decode<T: PostgresDecodable>(_ type: T.Type, _ column: String) throws -> T {
        try decode(type, result.columnIndex(column))
    }

    /// Decodes a named column that may be NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, _ column: String) throws -> T? {
        try decode(type, result.columnIndex(column))
    }
}
