import Foundation
import MTPPipeline
import Postgres

/// Recreates the source systems from `sql/fixtures/<system>.sql`.
public struct FixtureInstaller: Sendable {
    /// The project's files.
    public let files: ProjectFiles

    /// An installer reading `files`.
    public init(files: ProjectFiles) {
        self.files = files
    }

    /// The fixture SQL of `system`.
    public func sql(for system: SourceSystem) throws -> String {
        let file = files.fixtures.appendingPathComponent("\(system.rawValue).sql")
        do {
            return try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw PipelineError(.operational, "cannot read fixture \(file.path): \(error.localizedDescription)")
        }
    }

    /// Creates `system`'s tables, triggers and functions in the (empty) database behind `connection`.
    public func install(_ system: SourceSystem, into connection: Connection) throws {
        let sql = try sql(for: system)
        try connection.withTransaction { try $0.execute(sql) }
    }

    /// Drops and recreates the database `name` through an administrative connection, then installs `system`.
    public func recreate(_ system: SourceSystem, database name: String, admin: Connection, conninfo: String) throws {
        try admin.execute("drop database if exists \(quoteIdentifier(name)) with (force)")
        try admin.execute("create database \(quoteIdentifier(name))")
        try Connection.withConnection(conninfo) { try install(system, into: $0) }
    }
}
