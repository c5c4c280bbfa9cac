import Postgres

/// The snapshot's tables in the Manager database, derived from ``SourceContract/central``.
///
/// Each pull builds them in `snapshot_next` and renames that schema to `snapshot` when complete. Every
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

    /// `create table` for one table, without keys (they are built after the rows arrive, which is faster).
    static func createTable(_ table: SourceContract.Table, schema: String) -> String {
        var columns = table.columns.map { "\(quoteIdentifier($0.name)) \(sqlType($0.type))" }
        for column in table.columns where column.name.hasSuffix("_ts") {
            let twin = String(column.name.dropLast(3)) + "_at"
            // float8 division is correctly rounded, so it gives the same instant as numeric's `/ 1000.0`, at a
            // third of the cost on a million rows.
            columns.append("\(quoteIdentifier(twin)) timestamptz generated always as (to_timestamp(\(quoteIdentifier(column.name))::float8 / 1000)) stored")
        }
        return "create table \(quoteIdentifier(schema)).\(quoteIdentifier(table.name)) (\n    " + columns.joined(separator: ",\n    ") + "\n)"
    }

    /// The primary key and indexes of one table.
    static func keysAndIndexes(_ table: SourceContract.Table, schema: String) -> [String] {
        let qualified = "\(quoteIdentifier(schema)).\(quoteIdentifier(table.name))"
        var statements: [String] = []
        if !table.primaryKey.isEmpty {
            statements.append("alter table \(qualified) add primary key (\(table.primaryKey.map(quoteIdentifier).joined(separator: ", ")))")
        }
        for columns in table.indexes {
            statements.append("create index on \(qualified) (\(columns.map(quoteIdentifier).joined(separator: ", ")))")
        }
        return statements
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
