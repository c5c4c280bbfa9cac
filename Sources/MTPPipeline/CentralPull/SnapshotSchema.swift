import Hashing
import Postgres

/// The snapshot's tables in the Manager database, derived from ``SourceContract/central``.
///
/// A pull copies Central's tables into `snapshot_next`. The first pull (and one after a change of this layout)
/// keys and indexes them there and renames that schema to `snapshot` when complete; every later pull copies into
/// unlogged staging tables instead and applies what changed to `snapshot` in place (``SnapshotChanges``). Every
/// `*_ts` column (epoch milliseconds) keeps its value and gains a `*_at timestamptz` twin.
enum SnapshotSchema {
    /// The schema readers use.
    static let current = "snapshot"
    /// The schema a pull builds in.
    static let next = "snapshot_next"

    /// The type of a contract column in the snapshot.
    static func sqlType(_ type: SourceContract.ColumnType) -> String {
        switch type {
        case .text: return "text"
        case .integer: return "integer"
        case .bigint: return "bigint"
        case .numeric: return "numeric"
        case .real: return "real"
        case .boolean: return "boolean"
        case .date: return "date"
        case .uuid: return "uuid"
        }
    }

    /// Each `_ts` column's `_at` twin (milliseconds since 1970 as an instant): its name and the expression the
    /// snapshot's generated column stores, which the build's view of a table's changes computes the same way.
    static func instantTwins(_ table: SourceContract.Table) -> [(name: String, expression: String)] {
        table.columns.filter { $0.name.hasSuffix("_ts") }.map { column in
            // float8 division is correctly rounded, so it gives the same instant as numeric's `/ 1000.0`, at a
            // third of the cost on a million rows.
            (String(column.name.dropLast(3)) + "_at", "to_timestamp(\(quoteIdentifier(column.name))::float8 / 1000)")
        }
    }

    /// `create table` for one table, without keys (they are built after the rows arrive, which is faster);
    /// `unlogged` for a staging table, which no crash needs back.
    static func createTable(_ table: SourceContract.Table, schema: String, unlogged: Bool = false) -> String {
        var columns = table.columns.map { "\(quoteIdentifier($0.name)) \(sqlType($0.type))" }
        for twin in instantTwins(table) {
            columns.append("\(quoteIdentifier(twin.name)) timestamptz generated always as (\(twin.expression)) stored")
        }
        return "create \(unlogged ? "unlogged " : "")table \(quoteIdentifier(schema)).\(quoteIdentifier(table.name)) (\n    "
            + columns.joined(separator: ",\n    ") + "\n)"
    }

    /// The primary key and indexes of one table.
    static func keysAndIndexes(_ table: SourceContract.Table, schema: String) -> [String] {
        (primaryKey(table, schema: schema).map { [$0] } ?? []) + indexes(table, schema: schema)
    }

    /// The primary key of one table (nil for a table without one): a staging table has it too, so that a key
    /// Central holds twice refuses the pull as it would a new snapshot.
    static func primaryKey(_ table: SourceContract.Table, schema: String) -> String? {
        guard !table.primaryKey.isEmpty else { return nil }
        return "alter table \(quoteIdentifier(schema)).\(quoteIdentifier(table.name)) add primary key (\(table.primaryKey.map(quoteIdentifier).joined(separator: ", ")))"
    }

    /// The further indexes of one table.
    static func indexes(_ table: SourceContract.Table, schema: String) -> [String] {
        let qualified = "\(quoteIdentifier(schema)).\(quoteIdentifier(table.name))"
        var statements: [String] = []
        for columns in table.indexes {
            let elements = columns.map { $0.contains("(") ? "(\($0))" : quoteIdentifier($0) }
            statements.append("create index on \(qualified) (\(elements.joined(separator: ", ")))")
        }
        return statements
    }

    /// A digest of every table's columns, key and indexes: a snapshot laid out otherwise (by another version)
    /// is written whole again rather than changed in place.
    static var layout: String {
        var digest = SHA256()
        for table in SourceContract.central {
            let statements = [createTable(table, schema: current)] + keysAndIndexes(table, schema: current)
            digest.update(data: Array((statements.joined(separator: ";\n") + "\n").utf8))
        }
        return digest.finalize().hexString
    }

    /// `copy (select <column>::<snapshot type>, ... from public.<table>) to stdout (format binary)` on Central.
    ///
    /// Binary: neither server formats or parses text (a quarter less time on a million rows). Binary COPY needs
    /// the exact types on both ends, so each column is cast to its snapshot type (a no-op where it already is
    /// one; the contract accepts e.g. an integer where the snapshot has bigint).
    static func copyOut(_ table: SourceContract.Table) -> String {
        let columns = table.columns.map { "\(quoteIdentifier($0.name))::\(sqlType($0.type))" }.joined(separator: ", ")
        return "copy (select \(columns) from \(quoteIdentifier(table.schema)).\(quoteIdentifier(table.name))) to stdout (format binary)"
    }

    /// `copy snapshot_next.<table> (<columns>) from stdin (format binary)` on Manager.
    static func copyIn(_ table: SourceContract.Table) -> String {
        "copy \(quoteIdentifier(next)).\(quoteIdentifier(table.name)) (\(table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", "))) from stdin (format binary)"
    }
}
