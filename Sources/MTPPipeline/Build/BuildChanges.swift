import Postgres

/// The inputs an incremental build finds its changes in, as temporary relations of its transaction: Central's
/// (`delta_<table>` over the pull's `snapshot.delta_<table>`) and Manager's order tables (`delta_<table>`,
/// against `seen_<table>`, the copy of what the facts read of them, kept with the facts).
///
/// Manager's order tables are read live at build time and change in place without any time stamp to go by, so
/// each build compares them whole (EXCEPT ALL both ways) with what the previous one read: they are small beside
/// Central's tables (16,000 rows of a million-bag factory).
enum BuildChanges {
    /// The statements making `delta_<table>` for every Central table: the pull's changes, or none when the facts
    /// are of the current snapshot already.
    static func centralStatements(factsAreOfCurrentSnapshot: Bool) -> [String] {
        SourceContract.central.map { table in
            let name = quoteIdentifier(SnapshotChanges.deltaName(table))
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let source = factsAreOfCurrentSnapshot
                ? "select 'new'::text as side, \(columns) from snapshot.\(quoteIdentifier(table.name)) where false"
                : "select side, \(columns) from snapshot.\(name)"
            return "create or replace temp view \(name) as \(source)"
        }
    }

    /// The statement dropping the views of ``centralStatements(factsAreOfCurrentSnapshot:)`` at the end of the
    /// build's transaction (a temporary view lives as long as its session, and would hold the pull's changes).
    static var dropCentralViews: String {
        "drop view if exists " + SourceContract.central.map { "pg_temp.\(quoteIdentifier(SnapshotChanges.deltaName($0)))" }.joined(separator: ", ")
    }

    /// The statements making `delta_<table>` for every Manager order table, against `facts.seen_<table>`. (One
    /// hash of both sides' rows, grouped, instead of EXCEPT ALL both ways, was no faster: 50-60 ms either way for
    /// 25,000 events.)
    static func managerStatements() -> [String] {
        SourceContract.manager.map { table in
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let live = "public.\(quoteIdentifier(table.name))", seen = "facts.\(quoteIdentifier(seenName(table)))"
            return """
                create temp table \(quoteIdentifier("delta_" + table.name)) on commit drop as
                select 'new'::text as side, n.* from (select \(columns) from \(live) except all select \(columns) from \(seen)) n
                union all
                select 'old', o.* from (select \(columns) from \(seen) except all select \(columns) from \(live)) o
                """
        }
    }

    /// The statements writing what the build read of Manager's order tables into `seen_<table>` of the schema
    /// the build writes (the search path's first).
    static func seenStatements() -> [String] {
        SourceContract.manager.flatMap { table -> [String] in
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            let seen = quoteIdentifier(seenName(table))
            return ["create table if not exists \(seen) as select \(columns) from public.\(quoteIdentifier(table.name)) with no data",
                    "delete from \(seen)",
                    "insert into \(seen) select \(columns) from public.\(quoteIdentifier(table.name))"]
        }
    }

    /// Writes what the build reads of Manager's order tables now into `seen_<table>` of the schema it writes,
    /// before the definitions, which read it (so that every part of a full build reads Manager at one instant).
    static func recordSeen(_ connection: Connection) throws {
        for statement in seenStatements() { try connection.execute(statement) }
    }

    /// The columns identifying a row of each Manager order table: their primary keys (DOMAIN.md).
    static let identifying: [String: [String]] = [
        "order_plan": ["order_code"], "order_request": ["request_code"], "order_shipment": ["request_code", "shipment_code"],
        "order_shipment_event": ["request_code", "shipment_code", "status"], "order_schedule": ["schedule_code"],
    ]

    /// Brings `seen_<table>` of the schema an incremental build writes (the facts') up to what it reads now, after
    /// ``managerStatements()``: for every key with a row in `delta_<table>`, its rows in `seen` are replaced by
    /// Manager's. Every other key's rows are the same in both (they would be in the delta otherwise), so `seen`
    /// equals Manager's table after it, as the whole copy of ``recordSeen(_:)`` makes it, duplicates and all;
    /// the whole copy cost a day's build 40 ms and grew with the orders' history. A table whose delta has a row
    /// without its key (none has: they are primary keys) is copied whole.
    static func applySeen(_ connection: Connection) throws {
        for table in SourceContract.manager {
            let seen = quoteIdentifier(seenName(table)), delta = quoteIdentifier("delta_" + table.name)
            let live = "public.\(quoteIdentifier(table.name))"
            let columns = table.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
            guard let key = identifying[table.name]?.map(quoteIdentifier),
                  try connection.query("select not exists (select 1 from \(delta) where \(key.map { "\($0) is null" }.joined(separator: " or ")))")
                    .first!.decode(Bool.self, 0) else {
                try connection.execute("delete from \(seen); insert into \(seen) select \(columns) from \(live)")
                continue
            }
            let tuple = "(" + key.joined(separator: ", ") + ")", keys = "select \(key.joined(separator: ", ")) from \(delta)"
            try connection.execute("""
                delete from \(seen) where \(tuple) in (\(keys));
                insert into \(seen) select \(columns) from \(live) where \(tuple) in (\(keys))
                """)
        }
    }

    /// `seen_<table>`: what the facts read of a Manager table.
    static func seenName(_ table: SourceContract.Table) -> String { "seen_" + table.name }

    /// The facts' own tables a comparison leaves out: the build's metadata (its snapshot and times, and each
    /// part's seconds in the last full build) and what it read of Manager.
    static var metadataTables: Set<String> { Set(["build", "build_part"] + SourceContract.manager.map(seenName)) }
}
