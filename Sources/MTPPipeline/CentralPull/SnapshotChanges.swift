import Postgres

/// What changed in Central since the snapshot the facts were built from, found by the pull while it writes the
/// new snapshot, so that the next build recomputes only what the change reaches (issue 20).
///
/// Each table of the new snapshot gets `delta_<table>`: every row inserted (`side = 'new'`), deleted (`'old'`)
/// or updated (both) since the previous snapshot, found by joining the two on the table's key right after the
/// table is copied and keyed (while other jobs still copy). `change_base` names the pull the deltas lead from.
/// When the facts were not built from the previous snapshot (a pull without a build in between), the previous
/// deltas are carried into the new ones, so the deltas still lead from the facts' snapshot; when the facts are
/// older still, or the previous snapshot's tables are not the contract's, there is no base and the next build
/// is a full one.
enum SnapshotChanges {
    /// The pull the deltas lead from, and whether the previous snapshot's deltas are carried on.
    struct Base: Sendable, Equatable {
        /// The pull whose snapshot the facts were built from.
        var pullID: Int64
        /// True when the previous snapshot is newer than the facts: its deltas join the new ones.
        var carried: Bool
    }

    /// The base for a pull into Manager behind `manager`, or nil when the next build has to be a full one.
    static func base(_ manager: Connection) throws -> Base? {
        guard try exists("facts.build", manager), try exists("snapshot.pull", manager) else { return nil }
        guard let factsPull = try manager.query("select pull_id from facts.build").first?.decode(Int64.self, 0),
              let previousPull = try manager.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0),
              try previousSnapshotHasContractColumns(manager) else { return nil }
        if factsPull == previousPull { return Base(pullID: factsPull, carried: false) }
        guard try changesLead(from: factsPull, manager) else { return nil }
        return Base(pullID: factsPull, carried: true)
    }

    /// True when the current snapshot holds every table's changes and they lead from the snapshot of pull
    /// `pullID` (the pull carries them on from there; the build applies them to facts of that snapshot).
    static func changesLead(from pullID: Int64, _ connection: Connection) throws -> Bool {
        guard try exists("snapshot.change_base", connection),
              try connection.query("select base_pull_id from snapshot.change_base").first?.decode(Int64.self, 0) == pullID else { return false }
        let names = SourceContract.central.map { "\(SnapshotSchema.current).\(deltaName($0))" }
        return try connection.query("select bool_and(to_regclass(n) is not null) from unnest($1::text[]) n", [names]).first!.decode(Bool.self, 0)
    }

    /// `delta_<table>`: the name of a table's changes.
    static func deltaName(_ table: SourceContract.Table) -> String { "delta_" + table.name }

    /// The statement writing `snapshot_next.delta_<table>` from `snapshot_next.<table>` and `snapshot.<table>`.
    static func deltaStatement(_ table: SourceContract.Table, carried: Bool) -> String {
        let next = SnapshotSchema.next, current = SnapshotSchema.current
        let name = quoteIdentifier(table.name)
        let columns = table.columns.map { quoteIdentifier($0.name) }
        func list(_ alias: String) -> String { columns.map { "\(alias).\($0)" }.joined(separator: ", ") }
        let changed: String
        if table.primaryKey.isEmpty {
            let plain = columns.joined(separator: ", ")
            changed = """
                select 'new'::text as side, n.* from (select \(plain) from \(next).\(name) except all select \(plain) from \(current).\(name)) n
                union all
                select 'old', o.* from (select \(plain) from \(current).\(name) except all select \(plain) from \(next).\(name)) o
                """
        } else {
            let key = table.primaryKey.map(quoteIdentifier)
            let first = key[0]
            changed = """
                select c.* from \(next).\(name) n
                  full join \(current).\(name) o on \(key.map { "o.\($0) = n.\($0)" }.joined(separator: " and "))
                 cross join lateral (select 'new'::text as side, \(list("n")) where n.\(first) is not null
                                     union all
                                     select 'old', \(list("o")) where o.\(first) is not null) c
                 where (\(list("n"))) is distinct from (\(list("o")))
                """
        }
        let carry = carried ? "\nunion all\nselect * from \(current).\(quoteIdentifier(deltaName(table)))" : ""
        return "create table \(next).\(quoteIdentifier(deltaName(table))) as\n\(changed)\(carry)"
    }

    /// Records the base in the snapshot written in `schema` (inside the swap's transaction), in place of any.
    static func recordBase(_ base: Base, schema: String, on manager: Connection) throws {
        try manager.execute("drop table if exists \(schema).change_base")
        try manager.query("create table \(schema).change_base as select $1::bigint as base_pull_id", [base.pullID])
    }

    /// True when the snapshot can be changed in place: it was laid out by this version (``SnapshotSchema/layout``:
    /// the same columns, keys and indexes) and still has every key and index of it (one dropped by hand is built
    /// again by a snapshot written whole, as every pull did before).
    static func canChangeInPlace(_ manager: Connection) throws -> Bool {
        guard try exists("\(SnapshotSchema.current).layout", manager),
              try manager.query("select layout from \(SnapshotSchema.current).layout").first?.decode(String.self, 0) == SnapshotSchema.layout
        else { return false }
        let expected = SourceContract.central.reduce(0) { $0 + ($1.primaryKey.isEmpty ? 0 : 1) + $1.indexes.count }
        let present = try manager.query("""
            select count(*)::int from pg_index i
              join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = $1 and c.relname = any($2::text[]) and i.indisvalid
            """, [SnapshotSchema.current, SourceContract.central.map(\.name)]).first!.decode(Int.self, 0)
        return present == expected
    }

    /// Records this version's layout in the snapshot being written whole (`snapshot_next`).
    static func recordLayout(on manager: Connection) throws {
        try manager.query("create table \(SnapshotSchema.next).layout as select $1::text as layout", [SnapshotSchema.layout])
    }

    /// The statements applying a table's changes (`snapshot_next.delta_<table>`, this pull's alone) to the
    /// snapshot in place: the old side of each changed key deleted, the new side inserted (a table without a key
    /// is replaced whole from its staging copy). Then the changes take the previous ones' place, with them when
    /// `carried` (the facts are older than the previous snapshot).
    static func applyStatements(_ table: SourceContract.Table, carried: Bool) -> [String] {
        let next = SnapshotSchema.next, current = SnapshotSchema.current
        let name = quoteIdentifier(table.name), delta = quoteIdentifier(deltaName(table))
        let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        var statements: [String]
        if table.primaryKey.isEmpty {
            statements = ["delete from \(current).\(name)",
                          "insert into \(current).\(name) (\(columns)) select \(columns) from \(next).\(name)"]
        } else {
            let key = table.primaryKey.map(quoteIdentifier).map { "t.\($0) = d.\($0)" }.joined(separator: " and ")
            statements = [
                "delete from \(current).\(name) t using \(next).\(delta) d where d.side = 'old' and \(key)",
                "insert into \(current).\(name) (\(columns)) select \(columns) from \(next).\(delta) where side = 'new'",
            ]
        }
        if carried { statements.append("insert into \(next).\(delta) select * from \(current).\(delta)") }
        // Cascade, as the whole snapshot's drop did: a view over the changes (a build's, of a session still open)
        // must not keep the next pull from replacing them.
        statements.append("drop table if exists \(current).\(delta) cascade")
        statements.append("alter table \(next).\(delta) set schema \(current)")
        return statements
    }

    private static func exists(_ relation: String, _ connection: Connection) throws -> Bool {
        try connection.query("select to_regclass($1) is not null", [relation]).first!.decode(Bool.self, 0)
    }

    /// True when every contract table of the previous snapshot has the contract's columns (a snapshot written
    /// by a version with another contract cannot be compared column for column).
    private static func previousSnapshotHasContractColumns(_ manager: Connection) throws -> Bool {
        let present = Set(try manager.query("""
            select table_name || '.' || column_name from information_schema.columns where table_schema = $1
            """, [SnapshotSchema.current]).rows.map { try $0.decode(String.self, 0) })
        return SourceContract.central.allSatisfy { table in table.columns.allSatisfy { present.contains("\(table.name).\($0.name)") } }
    }
}
