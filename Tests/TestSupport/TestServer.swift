import Foundation
import Postgres

/// The real PostgreSQL server the integration tests use, configured by environment variables with defaults.
///
/// `MTP_TEST_PGHOST`, `MTP_TEST_PGPORT` and `MTP_TEST_PGUSER` name it (a password comes from `PGPASSWORD` or
/// `.pgpass`, as libpq reads them). Without them, the embedded cluster that `make test` starts in the
/// project's `.mtp/` directory. Each test works in databases of its own, created and dropped around it.
public enum TestServer {
    /// The project directory (found from this file's path).
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `host=... port=... user=...` without a database name.
    public static var baseConninfo: String {
        get throws {
            let environment = ProcessInfo.processInfo.environment
            let host = environment["MTP_TEST_PGHOST"] ?? projectRoot.appendingPathComponent(".mtp/run").path
            let port = try environment["MTP_TEST_PGPORT"] ?? {
                let file = projectRoot.appendingPathComponent(".mtp/pg/port")
                guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                    throw PostgresError(code: .connection, message: "no test PostgreSQL configured: \(howToStart)")
                }
                return text.trimmingCharacters(in: .whitespacesAndNewlines)
            }()
            let user = environment["MTP_TEST_PGUSER"] ?? "postgres"
            return "host='\(host)' port=\(port) user=\(user)"
        }
    }

    /// How to get a server for the tests.
    public static let howToStart = """
        start one with `make test` (it runs `mtp-etl db start`), or `swift run mtp-etl db start` in the project \
        directory, or point MTP_TEST_PGHOST/MTP_TEST_PGPORT/MTP_TEST_PGUSER at a server where this user may create databases
        """

    /// The conninfo of database `name` on the test server.
    public static func conninfo(database name: String) throws -> String {
        try baseConninfo + " dbname=\(name)"
    }

    /// The conninfo of database `name` on the test server as another role, with its password.
    public static func conninfo(database name: String, user: String, password: String) throws -> String {
        let others = try baseConninfo.split(separator: " ").filter { !$0.hasPrefix("user=") }.joined(separator: " ")
        return others + " user=\(user) password='\(password)' dbname=\(name)"
    }

    /// Connects to the server's `postgres` database; the error says how to start a server when none answers.
    public static func admin() throws -> Connection {
        do {
            return try Connection.connect(conninfo(database: "postgres"))
        } catch let error as PostgresError {
            throw PostgresError(code: error.code, message: "cannot reach the test PostgreSQL (\(error.message)); \(howToStart)",
                                context: error.context)
        }
    }
}

/// A database created for one test and dropped when the test ends.
public final class TestDatabase {
    /// The database name.
    public let name: String
    /// Its conninfo.
    public let conninfo: String

    /// Creates an empty database whose name starts with `prefix`.
    public init(_ prefix: String) throws {
        name = "mtp_test_\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
        conninfo = try TestServer.conninfo(database: name)
        let admin = try TestServer.admin()
        try admin.execute("create database \(quoteIdentifier(name))")
    }

    /// Opens a new connection to it.
    public func connect() throws -> Connection {
        try Connection.connect(conninfo)
    }

    /// Drops it (forcing other sessions off).
    public func drop() {
        if let admin = try? TestServer.admin() {
            try? admin.execute("drop database if exists \(quoteIdentifier(name)) with (force)")
        }
    }

    deinit { drop() }
}
