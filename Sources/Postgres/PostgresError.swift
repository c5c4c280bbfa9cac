import Foundation

/// An error from PostgreSQL or libpq, as a value: what failed, the server's diagnostics and where.
///
/// `description` names the statement and the server (host, port, database) but never a password:
/// connection messages are scrubbed of the password before they are stored.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// The connection could not be opened or was lost.
        public static let connection = Code(raw: "connection")
        /// The server refused a statement.
        public static let server = Code(raw: "server")
        /// COPY data could not be sent or received.
        public static let copy = Code(raw: "copy")
        /// A value could not be decoded into the requested Swift type.
        public static let decoding = Code(raw: "decoding")
        /// The module was used in a way it does not support (e.g. a nested transaction).
        public static let usage = Code(raw: "usage")
        /// The name of the code.
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The five-character SQLSTATE when the server sent one (e.g. `23505`).
    public var sqlState: String?
    /// The primary message.
    public var message: String
    /// The server's detail line, if any.
    public var detail: String?
    /// The server's hint, if any.
    public var hint: String?
    /// The statement that failed (SQL text only: values travel as parameters and never appear here).
    public var statement: String?
    /// The server's own account of where in its work the error arose (e.g. `COPY tealine, line 3, column grade`).
    public var location: String?
    /// Where it happened: the server (`host 127.0.0.1 port 5432 database manager`) or other context.
    public var context: String?

    /// Makes an error value.
    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil,
        hint: String? = nil, statement: String? = nil, context: String? = nil
    ) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.statement = statement
        self.context = context
    }

    /// One readable paragraph: message, SQLSTATE, detail, hint, statement and server.
    public var description: String {
        var parts = [message]
        if let sqlState { parts[0] += " (SQLSTATE \(sqlState))" }
        if let detail, !detail.isEmpty { parts.append("detail: \(detail)") }
        if let hint, !hint.isEmpty { parts.append("hint: \(hint)") }
        if let location, !location.isEmpty { parts.append("where: \(Self.abbreviate(location))") }
        if let statement { parts.append("statement: \(Self.abbreviate(statement))") }
        if let context { parts.append("on \(context)") }
        return parts.joined(separator: "; ")
    }

    static func abbreviate(_ sql: String, limit: Int = 240) -> String {
        let flat = sql.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }
}

extension PostgresError {
    /// Builds an error from a failed result's diagnostic fields.
    static func fromResult(_ result: LibPQ.ResultHandle, statement: String?, context: String?) -> PostgresError {
        let primary = LibPQ.errorField(result, DiagnosticField.message)
            ?? LibPQ.resultErrorMessage(result).trimmingCharacters(in: .whitespacesAndNewlines)
        var error = PostgresError(
            code: .server,
            message: primary.isEmpty ? "statement failed" : primary,
            sqlState: LibPQ.errorField(result, DiagnosticField.sqlState),
            detail: LibPQ.errorField(result, DiagnosticField.detail),
            hint: LibPQ.errorField(result, DiagnosticField.hint),
            statement: statement,
            context: context
        )
        error.location = LibPQ.errorField(result, DiagnosticField.context)
        return error
    }
}
