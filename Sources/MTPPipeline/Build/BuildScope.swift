import Foundation
import Postgres

/// The keys a build computes, by kind, as the `scope_*` tables (`sql/build/scope`): every key for a full build
/// (tables of the schema it writes, which each of its parts reads), what a change reaches for an incremental one
/// (temporary tables of its transaction).
enum BuildScope {
    /// Each kind of key, as `build` names it, and its table.
    static let kinds: [(kind: String, table: String)] = [
        ("bags", "scope_record"), ("batches", "scope_batch"), ("balance_lots", "scope_balance"), ("tealine_lots", "scope_lot"),
        ("blendsheets", "scope_blendsheet"), ("shipments", "scope_shipment"), ("requests", "scope_request"), ("orders", "scope_order"),
    ]

    /// Runs `sql` (one of `sql/build/scope`, which also gives its tables statistics, so that the facts'
    /// definitions are planned on the scope's real size: a handful of keys, or every one).
    static func fill(_ connection: Connection, sql: String, passingIncompleteFacts: Bool = false) throws {
        do {
            try connection.execute(sql)
        } catch let error as PostgresError where !(passingIncompleteFacts && FactsBuild.isIncompleteFacts(error)) {
            throw PipelineError(.operational, "choosing the keys to build failed; the previous facts are unchanged: \(error)")
        }
    }

    /// The tables of every_key.sql: the kinds', the batches outside the scope whose links it reads and the bags of it
    /// the facts hold (none of either).
    static var everyKeyTables: [String] { kinds.map(\.table) + ["scope_source", "scope_record_held"] }

    /// every_key.sql's views: every bag's row and every allocation of every bag, read through them in barcode order.
    static let everyKeyViews = ["scope_record_row", "scope_record_allocation"]

    /// Drops every_key.sql's views and tables from `schema` (a full build's), before its facts are published or
    /// compared.
    static func drop(_ connection: Connection, schema: String) throws {
        func names(_ objects: [String]) -> String { objects.map { "\(quoteIdentifier(schema)).\(quoteIdentifier($0))" }.joined(separator: ", ") }
        try connection.execute("drop view if exists \(names(everyKeyViews)); drop table if exists \(names(everyKeyTables))")
    }

    /// How many keys of each kind are in scope.
    static func counts(_ connection: Connection) throws -> [(kind: String, count: Int)] {
        let sql = "select " + kinds.map { "(select count(*)::int from \($0.table))" }.joined(separator: ", ")
        let row = try connection.query(sql).first!
        return try kinds.indices.map { (kinds[$0].kind, try row.decode(Int.self, $0)) }
    }

    /// The counts as one JSON object (`{"bags": 12, ...}`), for the ledger.
    static func json(_ keys: [(kind: String, count: Int)]) -> String {
        "{" + keys.map { "\"\($0.kind)\": \($0.count)" }.joined(separator: ", ") + "}"
    }

    /// What the published facts are: none, built by a version that recorded no definitions checksum, or built
    /// from snapshot `pullID` by the definitions `definition`.
    enum Published {
        case none
        case earlierVersion
        case built(pullID: Int64, definition: String)
    }

    /// The published facts' snapshot and definitions checksum.
    static func publishedFacts(_ connection: Connection) throws -> Published {
        guard try connection.query("select to_regclass('facts.build') is not null").first!.decode(Bool.self, 0) else { return .none }
        guard try connection.query("""
            select count(*) = 1 from information_schema.columns where table_schema = 'facts' and table_name = 'build' and column_name = 'definition'
            """).first!.decode(Bool.self, 0),
              let row = try connection.query("select pull_id, definition from facts.build").first,
              let definition = try row.decode(String?.self, 1) else { return .earlierVersion }
        return .built(pullID: try row.decode(Int64.self, 0), definition: definition)
    }

    /// Why a change is too large for an incremental build (more than `threshold` of the bags or of the
    /// batches the facts hold), or nil.
    static func tooLarge(_ keys: [(kind: String, count: Int)], threshold: Double, _ connection: Connection) throws -> String? {
        // The planner's row counts (every full build analyzes the facts; autovacuum keeps them): a threshold needs
        // no exact count, and counting a million bags would cost what the change costs.
        let held = try connection.query("""
            select (select greatest(reltuples, 0)::int from pg_class where oid = 'facts.record'::regclass),
                   (select greatest(reltuples, 0)::int from pg_class where oid = 'facts.batch_level'::regclass)
            """).first!
        let counts = Dictionary(keys.map { ($0.kind, $0.count) }, uniquingKeysWith: +)
        for (kind, total) in [("bags", try held.decode(Int.self, 0)), ("batches", try held.decode(Int.self, 1))] {
            let reached = counts[kind] ?? 0
            if total > 0, Double(reached) > threshold * Double(total) {
                return "the change reaches \(reached) of \(total) \(kind) (more than \(Int(threshold * 100)) %): one full build costs less"
            }
        }
        return nil
    }
}
