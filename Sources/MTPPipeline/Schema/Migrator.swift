import Hashing
import Foundation
import Postgres

/// One file of `sql/migrations`, named `NNNN_name.sql`.
public struct Migration: Sendable {
    /// The zero-padded number, e.g. `0001`.
    public var version: String
    /// The words after the number, e.g. `pipeline_schemas`.
    public var name: String
    /// The file.
    public var file: URL
    /// The file's SQL.
    public var sql: String
    /// SHA-256 of the file's bytes, hex.
    public var checksum: String
}

/// Where one migration stands in a database.
public struct MigrationState: Sendable {
    /// Applied, pending, or applied from a file that has changed since.
    public enum Kind: String, Sendable {
        case applied, pending, changed
    }
    /// The migration.
    public var migration: Migration
    /// Where it stands.
    public var kind: Kind
    /// When it was applied, if it was.
    public var appliedAt: Date?
}

/// Applies the pipeline's migrations to the Manager database in order, each in its own transaction,
/// and records them in `mtp.schema_migrations` (version, name, checksum, applied_at).
public struct Migrator: Sendable {
    /// The migrations directory.
    public let directory: URL

    /// A migrator over `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    static let bootstrap = """
        create schema if not exists mtp;
        create table if not exists mtp.schema_migrations (
            version    text primary key,
            name       text not null,
            checksum   text not null,
            applied_at timestamptz not null default now()
        );
        """

    /// Reads the migration files in version order; refuses misnamed files and duplicate versions.
    public func load() throws -> [Migration] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
        var seen: [String: String] = [:]
        return try names.map { fileName in
            let stem = fileName.dropLast(4)
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isNumber), !parts[1].isEmpty else {
                throw PipelineError(.refused, "migration file \(fileName) is not named NNNN_name.sql")
            }
            let version = String(parts[0])
            if let other = seen[version] {
                throw PipelineError(.refused, "migrations \(other) and \(fileName) share version \(version)")
            }
            seen[version] = fileName
            let file = directory.appendingPathComponent(fileName)
            let data = try Data(contentsOf: file)
            let checksum = SHA256.hash(data: data).hexString
            return Migration(version: version, name: String(parts[1]), file: file,
                             sql: String(decoding: data, as: UTF8.self), checksum: checksum)
        }
    }

    /// Each migration's state in the database behind `connection`.
    public func status(_ connection: Connection) throws -> [MigrationState] {
        let exists = try connection.query("select to_regclass('mtp.schema_migrations') is not null").first?.decode(Bool.self, 0) ?? false
        var applied: [String: (checksum: String, at: Date)] = [:]
        if exists {
            for row in try connection.query("select version, checksum, applied_at from mtp.schema_migrations").rows {
                applied[try row.decode(String.self, 0)] = (try row.decode(String.self, 1), try row.decode(Date.self, 2))
            }
        }
        return try load().map { migration in
            guard let record = applied[migration.version] else { return MigrationState(migration: migration, kind: .pending) }
            return MigrationState(migration: migration, kind: record.checksum == migration.checksum ? .applied : .changed,
                                  appliedAt: record.at)
        }
    }

    /// Throws, naming the first migration not applied and the command that applies it, unless every one is: a
    /// stage run on its own against a Manager the new version has not migrated yet says so instead of failing on
    /// a column it cannot find.
    public func requireCurrent(_ connection: Connection) throws {
        let behind = try status(connection).filter { $0.kind != .applied }
        guard let first = behind.first else { return }
        throw PipelineError(.operational, "Manager's pipeline schema is not current: \(behind.count) migration(s) not applied, "
            + "the first \(first.migration.file.lastPathComponent) (\(first.kind.rawValue)); "
            + "run `mtp-etl migrate` (a scheduled `mtp-etl run` migrates first)")
    }

    /// Applies every pending migration; refuses to run when an applied file has changed. Returns what it applied.
    @discardableResult
    public func migrate(_ connection: Connection) throws -> [Migration] {
        // One migrator at a time per database: a session-level advisory lock, released on every path.
        try connection.query("select pg_advisory_lock(hashtext('mtp-etl migrate'))")
        defer { _ = try? connection.query("select pg_advisory_unlock(hashtext('mtp-etl migrate'))") }
        try connection.withTransaction { try $0.execute(Self.bootstrap) }
        let states = try status(connection)
        if let changed = states.first(where: { $0.kind == .changed }) {
            throw PipelineError(.refused, """
                migration \(changed.migration.file.lastPathComponent) changed after it was applied \
                (on \(changed.appliedAt.map { "\($0)" } ?? "?")): restore the file and put the change in a new migration
                """)
        }
        var applied: [Migration] = []
        for state in states where state.kind == .pending {
            let migration = state.migration
            do {
                try connection.withTransaction { connection in
                    try connection.execute(migration.sql)
                    try connection.query(
                        "insert into mtp.schema_migrations (version, name, checksum) values ($1, $2, $3)",
                        [migration.version, migration.name, migration.checksum])
                }
            } catch let error as PostgresError {
                throw PipelineError(.operational, "migration \(migration.file.lastPathComponent) failed, nothing of it applied: \(error)")
            }
            applied.append(migration)
        }
        return applied
    }
}
