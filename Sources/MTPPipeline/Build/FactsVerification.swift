import Foundation
import Postgres

/// `build --verify`: the published facts against a full build of the same snapshot and Manager tables into a
/// scratch schema, table by table and row for row (EXCEPT ALL both ways), as a table diff on every fact's grain.
///
/// The scratch build runs the same definitions with every key in scope, in a transaction of its own under the
/// build's lock; its schema is dropped when the comparison is done, and a verification interrupted or killed
/// leaves nothing (its transaction rolls back).
public struct FactsVerification: Sendable {
    /// One fact table that differs.
    public struct Difference: Sendable, Equatable, Encodable {
        /// The table in `facts`.
        public var table: String
        /// Rows the published facts hold and the full build does not (counted with their repeats).
        public var onlyPublished: Int
        /// Rows the full build holds and the published facts do not.
        public var onlyFull: Int
        /// One such row of each side, as JSON.
        public var samplePublished: String?
        /// One row of the full build's side, as JSON.
        public var sampleFull: String?

        enum CodingKeys: String, CodingKey {
            case table, onlyPublished = "only_published", onlyFull = "only_full"
            case samplePublished = "sample_published", sampleFull = "sample_full"
        }
    }

    /// The tables compared and those that differ.
    public struct Outcome: Sendable {
        /// Every fact table compared.
        public var tables: [String]
        /// Those that differ (empty: equal).
        public var differences: [Difference]
    }

    /// The project's files (for `sql/build`).
    public var files: ProjectFiles

    /// A verification reading the build's definitions from `files`.
    public init(files: ProjectFiles) {
        self.files = files
    }

    /// Compares `facts` with a full build into `facts_verify` in the database behind `connection`.
    public func compare(_ connection: Connection) throws -> Outcome {
        let definition = try BuildDefinition(files: files)
        let build = FactsBuild(files: files)
        try FactsBuild.requireFacts(connection)
        return try FactsBuild.transaction(connection, writing: "facts_verify") { connection in
            try connection.execute("drop schema if exists facts_verify cascade; create schema facts_verify")
            try ManagerChanges.recordSeen(connection)
            try BuildScope.fill(connection, sql: definition.everyKey)
            try build.runSteps(definition.steps.filter(\.everyBuild), on: connection, mode: .full, reason: "verify", checksum: definition.checksum)
            try BuildScope.drop(connection, schema: "facts_verify")
            let skipped = BuildChanges.metadataTables
            func tables(_ schema: String) throws -> Set<String> {
                Set(try connection.query("""
                    select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind = 'r'
                    """, [schema]).rows.map { try $0.decode(String.self, 0) }).subtracting(skipped)
            }
            let published = try tables("facts"), full = try tables("facts_verify")
            var differences: [Difference] = []
            for table in published.union(full).sorted() {
                guard published.contains(table), full.contains(table) else {
                    differences.append(Difference(table: table, onlyPublished: published.contains(table) ? -1 : 0,
                                                  onlyFull: full.contains(table) ? -1 : 0,
                                                  samplePublished: published.contains(table) ? "the table exists only in the published facts" : nil,
                                                  sampleFull: full.contains(table) ? "the table exists only in the full build" : nil))
                    continue
                }
                let name = quoteIdentifier(table)
                let mine = "select * from facts.\(name) except all select * from facts_verify.\(name)"
                let theirs = "select * from facts_verify.\(name) except all select * from facts.\(name)"
                let row = try connection.query("""
                    select (select count(*)::int from (\(mine)) x), (select count(*)::int from (\(theirs)) x),
                           (select row_to_json(x)::text from (\(mine)) x limit 1), (select row_to_json(x)::text from (\(theirs)) x limit 1)
                    """).first!
                let only = (try row.decode(Int.self, 0), try row.decode(Int.self, 1))
                if only != (0, 0) {
                    differences.append(Difference(table: table, onlyPublished: only.0, onlyFull: only.1,
                                                  samplePublished: try row.decode(String?.self, 2), sampleFull: try row.decode(String?.self, 3)))
                }
            }
            try connection.execute("drop schema facts_verify cascade")
            return Outcome(tables: published.union(full).sorted(), differences: differences)
        }
    }
}
