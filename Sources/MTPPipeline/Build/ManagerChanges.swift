import Postgres

/// Manager's order tables as a build reads them: what the facts read of them (`seen_<table>`, kept with the
/// facts) and, for an incremental build, what changed since (`delta_<table>`, a temporary table of its
/// transaction, both sides of every change).
///
/// Manager's order tables are read live at build time and change in place without any time stamp to go by, so
/// each build compares them whole with what the previous one read. Where Manager keys a table (DOMAIN.md gives
/// each its primary key) and the facts' copy has the same key, the two are joined on it once; the copy is then
/// brought up to date key by key. A table without its key (a Manager that lost it) is compared by EXCEPT ALL
/// both ways, duplicates and rows without a key and all, and copied whole.
enum ManagerChanges {
    /// The primary key of each order table, where Manager and the facts' copy of it have the same one.
    struct Keys: Sendable {
        /// The key's columns, by table name; a table missing here is compared and copied whole.
        var shared: [String: [String]]
        /// The key's columns of Manager's tables, by table name.
        var live: [String: [String]]
    }

    /// The primary keys of Manager's order tables and of their copies in `seenSchema`.
    static func keys(_ connection: Connection, seenSchema: String) throws -> Keys {
        let tables = SourceContract.manager.map(\.name)
        let rows = try connection.query("""
            select n.nspname = 'public', c.relname, array_to_string(array_agg(a.attname::text order by k.ord), ',')
              from pg_index i
              join pg_class c on c.oid = i.indrelid
              join pg_namespace n on n.oid = c.relnamespace
             cross join lateral unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
              join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
             where i.indisprimary
               and ((n.nspname = 'public' and c.relname = any($1)) or (n.nspname = $2 and c.relname = any($3)))
             group by 1, 2
            """, [tables, seenSchema, tables.map { seenName($0) }]).rows
        var live: [String: [String]] = [:], seen: [String: [String]] = [:]
        for row in rows {
            let columns = try row.decode(String.self, 2).split(separator: ",").map(String.init)
            if try row.decode(Bool.self, 0) {
                // A key on a column the pipeline does not read (a surrogate id, say) keys nothing it copies.
                let table = try row.decode(String.self, 1)
                let read = Set(SourceContract.manager.first { $0.name == table }?.columns.map(\.name) ?? [])
                if columns.allSatisfy(read.contains) { live[table] = columns }
            } else {
                seen[String(try row.decode(String.self, 1).dropFirst("seen_".count))] = columns
            }
        }
        return Keys(shared: live.filter { seen[$0.key] == $0.value }, live: live)
    }

    /// The statements making `delta_<table>` for every order table, against `facts.seen_<table>`: a full join
    /// on the table's key where both have it (one hash of the keys, 40 % less than EXCEPT ALL both ways, which
    /// hashed every row of both sides twice), EXCEPT ALL both ways where not.
    static func deltaStatements(keys: Keys) -> [String] {
        SourceContract.manager.map { table in
            let names = table.columns.map { quoteIdentifier($0.name) }, columns = names.joined(separator: ", ")
            let live = "public.\(quoteIdentifier(table.name))", seen = "facts.\(quoteIdentifier(seenName(table.name)))"
            let delta = quoteIdentifier("delta_" + table.name)
            guard let key = keys.shared[table.name]?.map(quoteIdentifier) else {
                return """
                    create temp table \(delta) on commit drop as
                    select 'new'::text as side, n.* from (select \(columns) from \(live) except all select \(columns) from \(seen)) n
                    union all
                    select 'old', o.* from (select \(columns) from \(seen) except all select \(columns) from \(live)) o
                    """
            }
            // Both sides are keyed: a key is on one side at most once, and never null.
            let pairs = table.columns.flatMap { column in
                ["l", "s"].map { "\($0).\(quoteIdentifier(column.name)) as \(quoteIdentifier($0 + "_" + column.name))" }
            }
            func side(_ prefix: String) -> String {
                table.columns.map { "\(quoteIdentifier(prefix + "_" + $0.name)) as \(quoteIdentifier($0.name))" }.joined(separator: ", ")
            }
            return """
                create temp table \(delta) on commit drop as
                with changed as materialized (
                    select \(pairs.joined(separator: ", ")), l.\(key[0]) is not null as in_live, s.\(key[0]) is not null as in_seen
                      from \(live) l
                      full join \(seen) s on \(key.map { "s.\($0) = l.\($0)" }.joined(separator: " and "))
                     where (\(names.map { "l.\($0)" }.joined(separator: ", "))) is distinct from (\(names.map { "s.\($0)" }.joined(separator: ", ")))
                )
                select 'new'::text as side, \(side("l")) from changed where in_live
                union all
                select 'old', \(side("s")) from changed where in_seen
                """
        }
    }

    /// Writes what the build reads of Manager's order tables now into `seen_<table>` of the schema it writes
    /// (the search path's first; a full build's, new), before the definitions, which read it (so that every part
    /// of a full build reads Manager at one instant).
    static func recordSeen(_ connection: Connection) throws {
        for table in SourceContract.manager {
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let seen = quoteIdentifier(seenName(table.name)), live = "public.\(quoteIdentifier(table.name))"
            try connection.execute("""
                create table if not exists \(seen) as select \(columns) from \(live) with no data;
                delete from \(seen);
                insert into \(seen) select \(columns) from \(live)
                """)
        }
    }

    /// Keys `seen_<table>` of a full build's `schema` as Manager keys its table, once its parts have run (keyed
    /// while they ran, the copies' indexes turned the orphan check's anti join into a merge over every shipment
    /// allocation in key order: 0.5 -> 1.2 s at a million bags); the next incremental build joins on the key.
    static func keySeen(_ connection: Connection, schema: String) throws {
        let keys = try keys(connection, seenSchema: schema)
        for table in SourceContract.manager {
            guard let key = keys.live[table.name], keys.shared[table.name] == nil else { continue }
            try connection.execute("alter table \(quoteIdentifier(schema)).\(quoteIdentifier(seenName(table.name))) add primary key (\(key.map(quoteIdentifier).joined(separator: ", ")))")
        }
    }

    /// Brings `seen_<table>` of the facts (an incremental build's) up to what the build reads now, after
    /// ``deltaStatements(keys:)``: a keyed table's rows of every key in the delta are replaced by Manager's
    /// (every other key's rows are the same in both: they would be in the delta otherwise); a table without its
    /// key is copied whole. Rewriting every copy whole cost a day's build 40 ms and grew with the orders' history.
    static func applySeen(_ connection: Connection, keys: Keys) throws {
        for table in SourceContract.manager {
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let seen = quoteIdentifier(seenName(table.name)), live = "public.\(quoteIdentifier(table.name))"
            let delta = quoteIdentifier("delta_" + table.name)
            guard let key = keys.shared[table.name]?.map(quoteIdentifier) else {
                try copyWhole(seen, from: live, columns: columns, key: keys.live[table.name], connection)
                continue
            }
            let tuple = "(" + key.joined(separator: ", ") + ")", changed = "select \(key.joined(separator: ", ")) from \(delta)"
            try connection.execute("""
                delete from \(seen) where \(tuple) in (\(changed));
                insert into \(seen) select \(columns) from \(live) where \(tuple) in (\(changed))
                """)
        }
    }

    /// Copies Manager's table whole into the facts' `seen`, whose key is not Manager's, and keys it as Manager
    /// does (`key`): its own key goes first (Manager's rows may not fit it), Manager's comes after the copy (its
    /// rows fit it).
    private static func copyWhole(_ seen: String, from live: String, columns: String, key: [String]?,
                                  _ connection: Connection) throws {
        if let own = try connection.query("""
            select c.conname::text, array_to_string(array_agg(a.attname::text), ',')
              from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
             where c.conrelid = to_regclass($1) and c.contype = 'p'
             group by c.conname
            """, [seen]).first {
            // Its key's columns were made not null with it: Manager's rows may have nulls there now.
            let columns = try own.decode(String.self, 1).split(separator: ",").map { quoteIdentifier(String($0)) }
            try connection.execute("alter table \(seen) drop constraint \(quoteIdentifier(try own.decode(String.self, 0))), "
                                   + columns.map { "alter column \($0) drop not null" }.joined(separator: ", "))
        }
        try connection.execute("delete from \(seen); insert into \(seen) select \(columns) from \(live)")
        if let key {
            try connection.execute("alter table \(seen) add primary key (\(key.map(quoteIdentifier).joined(separator: ", ")))")
        }
    }

    /// `seen_<table>`: what the facts read of a Manager table.
    static func seenName(_ table: String) -> String { "seen_" + table }
}
