import CLibPQ
import Foundation

/// Every raw libpq call the module makes, in one place.
///
/// The rest of the module talks to libpq only through these functions, so that ownership rules
/// (who clears a result, who finishes a connection, who frees copy buffers) are visible here.
enum LibPQ {
    typealias ConnectionHandle = OpaquePointer
    typealias ResultHandle = OpaquePointer

    // MARK: Connections

    static func connect(_ conninfo: String) -> ConnectionHandle? {
        PQconnectdb(conninfo)
    }

    static func finish(_ connection: ConnectionHandle) {
        PQfinish(connection)
    }

    static func isConnected(_ connection: ConnectionHandle) -> Bool {
        PQstatus(connection) == CONNECTION_OK
    }

    static func isConnectionUsable(_ connection: ConnectionHandle) -> Bool {
        PQstatus(connection) == CONNECTION_OK
    }

    static func errorMessage(_ connection: ConnectionHandle) -> String {
        string(PQerrorMessage(connection)) ?? ""
    }

    static func host(_ connection: ConnectionHandle) -> String? { string(PQhost(connection)) }
    static func port(_ connection: ConnectionHandle) -> String? { string(PQport(connection)) }
    static func database(_ connection: ConnectionHandle) -> String? { string(PQdb(connection)) }
    static func user(_ connection: ConnectionHandle) -> String? { string(PQuser(connection)) }
    static func backendPID(_ connection: ConnectionHandle) -> Int32 { PQbackendPID(connection) }
    static func serverVersion(_ connection: ConnectionHandle) -> Int32 { PQserverVersion(connection) }

    static func parameterStatus(_ connection: ConnectionHandle, _ name: String) -> String? {
        string(PQparameterStatus(connection, name))
    }

    static func isIdle(_ connection: ConnectionHandle) -> Bool {
        PQtransactionStatus(connection) == PQTRANS_IDLE
    }

    /// Parses a conninfo string or URI into keyword/value pairs; nil when libpq cannot parse it.
    static func parseConninfo(_ conninfo: String) -> [(keyword: String, value: String)]? {
        var errmsg: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errmsg) else {
            if let errmsg { PQfreemem(errmsg) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var pairs: [(String, String)] = []
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val {
                pairs.append((String(cString: keyword), String(cString: value)))
            }
            cursor += 1
        }
        return pairs
    }

    /// The password verifier the server would store for `user` (libpq computes it, salted, on the client: the
    /// plain password never travels in a statement); nil with libpq's message in `error` when it cannot.
    static func encryptPassword(_ connection: ConnectionHandle, _ password: String, user: String, algorithm: String) -> String? {
        guard let encrypted = PQencryptPasswordConn(connection, password, user, algorithm) else { return nil }
        defer { PQfreemem(encrypted) }
        return String(cString: encrypted)
    }

    /// Routes server notices to `context`'s handler instead of libpq's default (stderr).
    static func setNoticeReceiver(
        _ connection: ConnectionHandle,
        context: UnsafeMutableRawPointer,
        _ receiver: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Void
    ) {
        _ = PQsetNoticeProcessor(connection, receiver, context)
    }

    // MARK: Statements

    static func exec(_ connection: ConnectionHandle, _ sql: String) -> ResultHandle? {
        PQexec(connection, sql)
    }

    /// Runs a statement with text parameters (nil is SQL NULL), asking for text results.
    static func execParams(_ connection: ConnectionHandle, _ sql: String, _ values: [String?]) -> ResultHandle? {
        var cStrings: [UnsafeMutablePointer<CChar>?] = values.map { $0.flatMap { strdup($0) } }
        defer { cStrings.forEach { free($0) } }
        return cStrings.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(buffer.count, 1)) { params in
                PQexecParams(connection, sql, Int32(values.count), nil, values.isEmpty ? nil : params, nil, nil, 0)
            }
        }
    }

    static func getResult(_ connection: ConnectionHandle) -> ResultHandle? {
        PQgetResult(connection)
    }

    // MARK: Results

    static func clear(_ result: ResultHandle) {
        PQclear(result)
    }

    static func status(_ result: ResultHandle) -> ResultStatus {
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK: return .commandOK
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE: return .tuplesOK
        case PGRES_COPY_IN: return .copyIn
        case PGRES_COPY_OUT: return .copyOut
        case PGRES_EMPTY_QUERY: return .emptyQuery
        case let other: return .failed(string(PQresStatus(other)) ?? "unknown")
        }
    }

    static func errorField(_ result: ResultHandle, _ field: Int32) -> String? {
        string(PQresultErrorField(result, field))
    }

    static func resultErrorMessage(_ result: ResultHandle) -> String {
        string(PQresultErrorMessage(result)) ?? ""
    }

    static func rowCount(_ result: ResultHandle) -> Int { Int(PQntuples(result)) }
    static func columnCount(_ result: ResultHandle) -> Int { Int(PQnfields(result)) }
    static func columnName(_ result: ResultHandle, _ column: Int) -> String {
        string(PQfname(result, Int32(column))) ?? ""
    }
    static func columnType(_ result: ResultHandle, _ column: Int) -> UInt32 {
        PQftype(result, Int32(column))
    }
    static func isNull(_ result: ResultHandle, _ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }
    static func value(_ result: ResultHandle, _ row: Int, _ column: Int) -> String {
        String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }
    static func valueBytes(_ result: ResultHandle, _ row: Int, _ column: Int) -> UnsafeRawBufferPointer {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        return UnsafeRawBufferPointer(start: PQgetvalue(result, Int32(row), Int32(column)), count: length)
    }
    static func affectedRows(_ result: ResultHandle) -> Int? {
        guard let text = string(PQcmdTuples(result)), !text.isEmpty else { return nil }
        return Int(text)
    }

    // MARK: COPY

    /// Sends one chunk of COPY data; false when libpq reports a failure.
    static func putCopyData(_ connection: ConnectionHandle, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            PQputCopyData(connection, $0, Int32(bytes.count)) == 1
        }
    }

    /// Ends COPY FROM STDIN; a non-nil `failure` makes the server abort the COPY with that message.
    static func putCopyEnd(_ connection: ConnectionHandle, failure: String?) -> Bool {
        PQputCopyEnd(connection, failure) == 1
    }

    enum CopyRow {
        case row(UnsafeRawBufferPointer)
        case done
        case failed
    }

    /// Reads one row of COPY TO STDOUT and hands it to `body` before libpq's buffer is freed.
    static func getCopyRow<T>(_ connection: ConnectionHandle, _ body: (CopyRow) throws -> T) rethrows -> T {
        var buffer: UnsafeMutablePointer<CChar>?
        let length = PQgetCopyData(connection, &buffer, 0)
        defer { if let buffer { PQfreemem(buffer) } }
        switch length {
        case -1: return try body(.done)
        case ..<0: return try body(.failed)
        default: return try body(.row(UnsafeRawBufferPointer(start: buffer, count: Int(length))))
        }
    }

    // MARK: Helpers

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// What a result says about its statement.
enum ResultStatus: Equatable {
    case commandOK, tuplesOK, copyIn, copyOut, emptyQuery
    case failed(String)
}

/// The diagnostic fields of a server error (postgres_ext.h defines them as character macros, which Swift
/// does not import, so their characters are spelled here).
enum DiagnosticField {
    static let sqlState = Int32(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
    static let message = Int32(UInt8(ascii: "M"))  // PG_DIAG_MESSAGE_PRIMARY
    static let detail = Int32(UInt8(ascii: "D"))  // PG_DIAG_MESSAGE_DETAIL
    static let hint = Int32(UInt8(ascii: "H"))  // PG_DIAG_MESSAGE_HINT
    static let context = Int32(UInt8(ascii: "W"))  // PG_DIAG_CONTEXT
}
