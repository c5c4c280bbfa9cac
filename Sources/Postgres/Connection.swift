import Foundation

/// One open libpq connection, owned by one task at a time.
///
/// Open it with ``withConnection(_:_:)`` so that it is closed on every path. Statements take their
/// values only as parameters (`$1`, `$2`, ...); ``execute(_:)`` runs parameter-free SQL such as a
/// migration file.
public final class Connection {
    let handle: LibPQ.ConnectionHandle
    /// Where this connection goes: host (or socket directory), port, database and user.
    public let endpoint: Endpoint
    /// Receives the server's notices (e.g. `NOTICE: relation already exists`); discarded by default.
    public var noticeHandler: (@Sendable (String) -> Void)?

    /// Host, port, database and user of a connection; never the password.
    public struct Endpoint: Sendable, CustomStringConvertible {
        /// Host name, address or Unix socket directory.
        public var host: String
        /// Port number as text.
        public var port: String
        /// Database name.
        public var database: String
        /// User name.
        public var user: String
        /// `host H port P database D`.
        public var description: String { "host \(host) port \(port) database \(database)" }
    }

    private init(handle: LibPQ.ConnectionHandle) {
        self.handle = handle
        self.endpoint = Endpoint(
            host: LibPQ.host(handle) ?? "", port: LibPQ.port(handle) ?? "",
            database: LibPQ.database(handle) ?? "", user: LibPQ.user(handle) ?? "")
        LibPQ.setNoticeReceiver(handle, context: Unmanaged.passUnretained(self).toOpaque()) { context, message in
            guard let context, let message else { return }
            let connection = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
            connection.noticeHandler?(String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    deinit {
        LibPQ.finish(handle)
    }

    /// Opens a connection from a libpq conninfo string or a `postgresql://` URI.
    ///
    /// libpq's environment variables (`PGHOST`, `PGUSER`, ...) and `.pgpass` fill in what the string
    /// leaves out. The session uses UTC and ISO dates so that decoding does not depend on the server's
    /// settings. A failure names host, port and database and libpq's reason, without the password.
    public static func connect(_ conninfo: String, applicationName: String = "mtp-etl") throws -> Connection {
        guard let handle = LibPQ.connect(conninfo) else {
            throw PostgresError(code: .connection, message: "libpq could not allocate a connection")
        }
        guard LibPQ.isConnected(handle) else {
            let reason = ConnectionString.redact(LibPQ.errorMessage(handle), conninfo: conninfo)
            let endpoint = ConnectionString.redact(
                "host \(LibPQ.host(handle) ?? "?") port \(LibPQ.port(handle) ?? "?") database \(LibPQ.database(handle) ?? "?")",
                conninfo: conninfo)
            LibPQ.finish(handle)
            throw PostgresError(
                code: .connection,
                message: "could not connect to PostgreSQL: \(reason.trimmingCharacters(in: .whitespacesAndNewlines))",
                context: endpoint)
        }
        let connection = Connection(handle: handle)
        try connection.execute("set timezone = 'UTC'; set datestyle = 'ISO, YMD'; set intervalstyle = 'iso_8601'; set application_name = \(quoteLiteral(applicationName))")
        return connection
    }

    /// Opens a connection, runs `body` with it and closes it on every path.
    public static func withConnection<T>(
        _ conninfo: String, applicationName: String = "mtp-etl", _ body: (Connection) throws -> T
    ) throws -> T {
        let connection = try connect(conninfo, applicationName: applicationName)
        return try body(connection)
    }

    /// The server's process id for this session (for `pg_terminate_backend` or a lock holder's name).
    public var backendPID: Int32 { LibPQ.backendPID(handle) }

    /// The server's version number, e.g. 150018.
    public var serverVersion: Int { Int(LibPQ.serverVersion(handle)) }

    /// True while no transaction is open on the session.
    public var isIdle: Bool { LibPQ.isIdle(handle) }

    /// Runs parameter-free SQL, possibly several statements (a migration or fixture file).
    ///
    /// Never build this text from values: use ``query(_:_:)`` with parameters for those.
    public func execute(_ sql: String) throws {
        let result = try checked(LibPQ.exec(handle, sql), statement: sql)
        LibPQ.clear(result)
    }

    /// Runs one statement with its values as parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> QueryResult {
        let values = parameters.map { $0?.postgresText }
        let result = try checked(LibPQ.execParams(handle, sql, values), statement: sql)
        return QueryResult(owning: result)
    }

    /// The SCRAM-SHA-256 verifier of `password` for `user`, computed here (for `alter role ... password`, so the
    /// plain password never reaches the server's statement log).
    public func scramVerifier(password: String, user: String) throws -> String {
        guard let verifier = LibPQ.encryptPassword(handle, password, user: user, algorithm: "scram-sha-256") else {
            throw PostgresError(code: .usage, message: "libpq could not hash a password: \(LibPQ.errorMessage(handle))", context: endpoint.description)
        }
        return verifier
    }

    /// Runs `body` in a transaction that commits when it returns and rolls back when it throws.
    public func withTransaction<T>(_ options: TransactionOptions = .init(), _ body: (Connection) throws -> T) throws -> T {
        guard isIdle else {
            throw PostgresError(code: .usage, message: "a transaction is already open on this connection", context: endpoint.description)
        }
        try execute("begin \(options.sql)")
        do {
            let value = try body(self)
            try execute("commit")
            return value
        } catch {
            if !isIdle { try? execute("rollback") }
            throw error
        }
    }

    /// Turns a raw result into a checked one: throws (after clearing it) when the statement failed.
    func checked(_ result: LibPQ.ResultHandle?, statement: String?, accepting: Set<ResultStatusKind> = [.commandOK, .tuplesOK, .emptyQuery]) throws -> LibPQ.ResultHandle {
        guard let result else {
            throw PostgresError(
                code: .connection, message: LibPQ.errorMessage(handle).trimmingCharacters(in: .whitespacesAndNewlines),
                statement: statement, context: endpoint.description)
        }
        let status = LibPQ.status(result)
        if accepting.contains(ResultStatusKind(status)) { return result }
        let error: PostgresError
        if case .failed = status {
            error = .fromResult(result, statement: statement, context: endpoint.description)
        } else {
            error = PostgresError(code: .usage, message: "unexpected result \(status) for this call", statement: statement, context: endpoint.description)
        }
        LibPQ.clear(result)
        throw error
    }

    /// Drains every pending result so the connection is ready for the next statement.
    func drainResults() {
        while let result = LibPQ.getResult(handle) { LibPQ.clear(result) }
    }
}

/// How a transaction is opened.
public struct TransactionOptions: Sendable {
    /// Isolation levels PostgreSQL supports.
    public enum Isolation: String, Sendable {
        case readCommitted = "read committed"
        case repeatableRead = "repeatable read"
        case serializable = "serializable"
    }
    /// The isolation level; nil keeps the session's default.
    public var isolation: Isolation?
    /// Opens the transaction READ ONLY.
    public var readOnly: Bool
    /// Opens the transaction DEFERRABLE (with serializable read only: waits for a safe snapshot, never fails on conflicts).
    public var deferrable: Bool

    /// Describes a transaction.
    public init(isolation: Isolation? = nil, readOnly: Bool = false, deferrable: Bool = false) {
        self.isolation = isolation
        self.readOnly = readOnly
        self.deferrable = deferrable
    }

    /// A consistent read-only snapshot: `serializable, read only, deferrable`.
    public static let consistentSnapshot = TransactionOptions(isolation: .serializable, readOnly: true, deferrable: true)

    var sql: String {
        var modes: [String] = []
        if let isolation { modes.append("isolation level \(isolation.rawValue)") }
        if readOnly { modes.append("read only") }
        if deferrable { modes.append("deferrable") }
        return modes.joined(separator: ", ")
    }
}

/// The kinds of result a call accepts.
enum ResultStatusKind: Hashable {
    case commandOK, tuplesOK, copyIn, copyOut, emptyQuery, failed
    init(_ status: ResultStatus) {
        switch status {
        case .commandOK: self = .commandOK
        case .tuplesOK: self = .tuplesOK
        case .copyIn: self = .copyIn
        case .copyOut: self = .copyOut
        case .emptyQuery: self = .emptyQuery
        case .failed: self = .failed
        }
    }
}

/// Quotes an identifier for SQL text (`"order plan"`), doubling embedded quotes.
public func quoteIdentifier(_ name: String) -> String {
    "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// Quotes a constant for SQL text (`'it''s'`), for fixed settings only; values travel as parameters.
public func quoteLiteral(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
}
