import Foundation
import MTPPipeline
import Postgres

/// Loads a saved state of the source systems: `DIR/manager/<table>.csv` and `DIR/central/<table>.csv`.
///
/// Each file's header row names its columns, in any order; any subset of tables may be present. As a state
/// restore would, the load replaces the listed tables' rows with triggers and foreign-key checks off, in one
/// transaction per database, in dependency order. Every file is checked before anything is loaded: an unknown
/// table or column refuses the load, naming it, and nothing is loaded.
public struct FixtureLoader: Sendable {
    /// What was loaded into one table.
    public struct TableLoad: Sendable {
        /// `schema.table`.
        public var table: String
        /// The file it came from.
        public var file: String
        /// Rows copied.
        public var rows: Int
    }

    /// A planned load of one file.
    struct Plan {
        var file: URL
        var schema: String
        var table: String
        var columns: [String]
        var identityColumns: [String]
        var qualified: String { "\(quoteIdentifier(schema)).\(quoteIdentifier(table))" }
    }

    /// A loader.
    public init() {}

    /// The CSV files of `system` under `directory` (none when its folder is absent).
    public func files(in directory: URL, for system: SourceSystem) throws -> [URL] {
        let folder = directory.appendingPathComponent(system.rawValue)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".csv") }.sorted().map { folder.appendingPathComponent($0) }
    }

    /// Checks every file against the database's catalog; returns the loads in dependency order or refuses.
    func plan(_ files: [URL], system: SourceSystem, connection: Connection) throws -> [Plan] {
        let columnsByTable = try DatabaseCatalog.read(connection, schemas: system.schemas).tables
        var problems: [String] = []
        var plans: [Plan] = []
        for file in files {
            let label = "\(system.rawValue)/\(file.lastPathComponent)"
            let stem = String(file.lastPathComponent.dropLast(4))
            let candidates = stem.contains(".") ? [stem] : system.schemas.map { "\($0).\(stem)" }
            guard let key = candidates.first(where: { columnsByTable[$0] != nil }) else {
                problems.append("\(label): unknown table \(stem) in \(system.rawValue)")
                continue
            }
            let header = try Self.readHeader(file)
            guard !header.isEmpty else {
                problems.append("\(label): line 1: no header row naming the columns")
                continue
            }
            let known = Set(columnsByTable[key]!.map(\.name))
            let unknown = header.filter { !known.contains($0) }
            if !unknown.isEmpty {
                problems.append("\(label): line 1: unknown column\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) in table \(key)")
                continue
            }
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            plans.append(Plan(file: file, schema: parts[0], table: parts[1], columns: header,
                              identityColumns: columnsByTable[key]!.filter(\.isIdentity).map(\.name)))
        }
        if !problems.isEmpty {
            throw PipelineError(.refused, "fixture load refused, nothing loaded:\n  " + problems.joined(separator: "\n  "))
        }
        return try dependencyOrder(plans, connection: connection)
    }

    /// What loading `system` into the database behind `connection` would destroy: the pipeline's own schemas (a
    /// Manager the pipeline works in) and the source tables that hold rows. Empty for a database of empty fixtures.
    public func occupation(system: SourceSystem, connection: Connection) throws -> [String] {
        var found: [String] = []
        if let schemas = try connection.query("""
            select string_agg(nspname, ', ' order by nspname) from pg_namespace where nspname in ('mtp', 'snapshot', 'facts')
            """).first?.decode(String?.self, 0) {
            found.append("the pipeline's schemas \(schemas)")
        }
        let tables = try DatabaseCatalog.read(connection, schemas: system.schemas).tables.keys.sorted()
        guard !tables.isEmpty else { return found }
        // One round trip: every table that holds a row (the names are the catalog's, quoted).
        let probes = tables.map { name -> String in
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            return "select \(quoteLiteral(name)) where exists (select 1 from \(quoteIdentifier(parts[0])).\(quoteIdentifier(parts[1])))"
        }
        for row in try connection.query(probes.joined(separator: " union all ")).rows {
            found.append("rows in \(try row.decode(String.self, 0))")
        }
        return found
    }

    /// Checks `system`'s files under `directory` against the database without loading anything.
    public func check(_ directory: URL, system: SourceSystem, connection: Connection) throws {
        _ = try plan(files(in: directory, for: system), system: system, connection: connection)
    }

    /// Loads `system`'s files from `directory` into the database behind `connection`, all or nothing.
    @discardableResult
    public func load(from directory: URL, system: SourceSystem, into connection: Connection) throws -> [TableLoad] {
        let plans = try plan(files(in: directory, for: system), system: system, connection: connection)
        guard !plans.isEmpty else { return [] }
        return try connection.withTransaction { connection in
            try connection.execute("set local session_replication_role = replica")
            var loads: [TableLoad] = []
            for plan in plans.reversed() {
                try connection.execute("delete from \(plan.qualified)")
            }
            for plan in plans {
                let columns = plan.columns.map(quoteIdentifier).joined(separator: ", ")
                let rows: Int
                do {
                    rows = try connection.copyIn("copy \(plan.qualified) (\(columns)) from stdin with (format csv, header true)") { writer in
                        try FileCopy.stream(plan.file, to: writer)
                    }
                } catch let error as PostgresError {
                    throw PipelineError(.refused, "\(system.rawValue)/\(plan.file.lastPathComponent): \(error.message)\(error.location.map { " (\($0))" } ?? ""); nothing loaded")
                }
                loads.append(TableLoad(table: "\(plan.schema).\(plan.table)", file: plan.file.path, rows: rows))
            }
            try resetIdentitySequences(plans, connection: connection)
            return loads
        }
    }

    /// Orders plans so that referenced tables come before the tables that reference them.
    private func dependencyOrder(_ plans: [Plan], connection: Connection) throws -> [Plan] {
        let edges = try connection.query("""
            select child_ns.nspname || '.' || child.relname, parent_ns.nspname || '.' || parent.relname
              from pg_constraint c
              join pg_class child on child.oid = c.conrelid
              join pg_namespace child_ns on child_ns.oid = child.relnamespace
              join pg_class parent on parent.oid = c.confrelid
              join pg_namespace parent_ns on parent_ns.oid = parent.relnamespace
             where c.contype = 'f' and c.conrelid <> c.confrelid
            """).rows.map { (try $0.decode(String.self, 0), try $0.decode(String.self, 1)) }
        var remaining = plans
        var ordered: [Plan] = []
        while !remaining.isEmpty {
            let pendingKeys = Set(remaining.map { "\($0.schema).\($0.table)" })
            let readyIndex = remaining.firstIndex { plan in
                let key = "\(plan.schema).\(plan.table)"
                return !edges.contains { $0.0 == key && pendingKeys.contains($0.1) }
            } ?? 0 // a cycle: any order works with foreign-key checks off
            ordered.append(remaining.remove(at: readyIndex))
        }
        return ordered
    }

    /// Moves each identity column's sequence past the largest loaded value, so that new rows get fresh keys.
    private func resetIdentitySequences(_ plans: [Plan], connection: Connection) throws {
        for plan in plans {
            for column in plan.identityColumns {
                let qualifiedForFunction = "\(quoteIdentifier(plan.schema)).\(quoteIdentifier(plan.table))"
                try connection.query("""
                    select setval(pg_get_serial_sequence($1, $2),
                                  coalesce((select max(\(quoteIdentifier(column))) from \(plan.qualified)), 0) + 1, false)
                    """, [qualifiedForFunction, column])
            }
        }
    }

    /// The column names of a CSV file's header row (quoted names allowed, a byte-order mark skipped).
    static func readHeader(_ file: URL) throws -> [String] {
        let reader = try PlanCSVReader(file: file, delimiter: UInt8(ascii: ","))
        // COPY's HEADER skips exactly the first line: a header anywhere else is no header.
        guard let first = try reader.next(), first.line == 1 else { return [] }
        return first.fields.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
