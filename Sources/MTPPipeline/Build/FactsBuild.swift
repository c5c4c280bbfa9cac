import Foundation
import Postgres

/// `mtp-etl build`: the traceability, yield and reconciliation facts, from the latest snapshot and Manager's
/// order tables, in set-based SQL inside PostgreSQL.
///
/// The SQL files of `sql/build/` run in name order, in one transaction, into schema `facts_next`, which then
/// replaces `facts`: readers see the previous facts until the new ones are complete, and a failed build leaves
/// them as they were. The same snapshot gives the same facts.
public struct FactsBuild: Sendable {
    /// What a build produced.
    public struct Result: Sendable {
        /// The snapshot (pull) the facts come from.
        public var pullID: Int64
        /// Rows per fact table.
        public var tables: [(name: String, rows: Int)]
        /// Findings per check.
        public var findings: [(check: String, severity: String, count: Int)]
        /// What the build changed in the findings' memory (`mtp.finding_history`).
        public var history: FindingHistory
        /// Seconds the build took.
        public var seconds: Double
    }

    /// What one build changed in the memory of the findings.
    public struct FindingHistory: Sendable, Equatable {
        /// The build's number in `mtp.fact_build`.
        public var buildID: Int64
        /// Findings seen for the first time.
        public var new: Int
        /// Findings seen again after a build had resolved them.
        public var reopened: Int
        /// Findings no longer seen: resolved by this build.
        public var resolved: Int
        /// Findings open after the build.
        public var open: Int
    }

    /// The project's files (for `sql/build`).
    public var files: ProjectFiles

    /// A build reading its SQL from `files`.
    public init(files: ProjectFiles) {
        self.files = files
    }

    /// The build's SQL files in the order they run.
    public func steps() throws -> [URL] {
        let directory = files.root.appendingPathComponent("sql/build")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".sql") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// Refuses to read facts before a build made them.
    static func requireFacts(_ connection: Connection) throws {
        guard try connection.query("select to_regclass('facts.build') is not null").first!.decode(Bool.self, 0) else {
            throw PipelineError(.operational, "no facts are built yet: run `mtp-etl pull-central` and `mtp-etl build` first")
        }
    }

    /// Fails unless the facts are this version's: they hold the genealogy's links (`02_attribution.sql`), the
    /// trace's scopes and amounts (`06_trace_scopes.sql`) and the report's period (`07_report_views.sql`). Facts
    /// built by an earlier version answer no trace and write no workbook until the next build (which the next
    /// run does first).
    static func requireCurrentFacts(_ connection: Connection) throws {
        try requireFacts(connection)
        guard try connection.query("""
            select to_regprocedure('facts.trace_shipments(bigint, integer, text)') is not null and to_regclass('facts.report_period') is not null
               and to_regclass('facts.batch_link') is not null and to_regprocedure('facts.shown_amount(numeric)') is not null
               and to_regprocedure('facts.lot_created_if_shared(text, bigint)') is not null
            """).first!.decode(Bool.self, 0) else {
            throw PipelineError(.operational, "the facts were built by an earlier version of mtp-etl: run `mtp-etl build` (or the next run) first")
        }
    }

    /// Builds the facts in the Manager database behind `connection`.
    @discardableResult
    public func run(_ connection: Connection) throws -> Result {
        let started = Date()
        guard try connection.query("select to_regclass('snapshot.pull') is not null").first!.decode(Bool.self, 0) else {
            throw PipelineError(.operational, "there is no Central snapshot yet: run `mtp-etl pull-central` first")
        }
        let steps = try steps()
        return try connection.withTransaction { connection in
            // One build at a time; a second waits rather than interleaving.
            try connection.query("select pg_advisory_xact_lock(hashtext('mtp-etl build'))")
            // The build's statements are planned per level of the genealogy too; compiling each of them cost more
            // than it saved (35-36 s against 33-34 s on the million-bag state).
            try connection.execute("set local jit = off")
            let pullID = try connection.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0)
            try connection.execute("drop schema if exists facts_next cascade; create schema facts_next")
            for step in steps {
                let sql = try String(contentsOf: step, encoding: .utf8)
                do {
                    try connection.execute(sql)
                } catch let error as PostgresError {
                    throw PipelineError(.operational, "build step sql/build/\(step.lastPathComponent) failed; the previous facts are unchanged: \(error)")
                }
            }
            let tables = try connection.query("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'facts_next' and c.relkind = 'r' order by c.relname
                """).rows.map { try $0.decode(String.self, 0) }
            var counts: [(String, Int)] = []
            for table in tables {
                counts.append((table, try connection.query("select count(*) from facts_next.\(quoteIdentifier(table))").first!.decode(Int.self, 0)))
            }
            let findings = try connection.query("""
                select check_name, severity, count(*)::int from facts_next.finding group by 1, 2 order by 2, 1
                """).rows.map { (try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(Int.self, 2)) }
            // The findings' memory moves with the facts, in the same transaction: a failed build leaves both.
            let recorded = try connection.query(try SQLStatements.of("history", files: files).text("record_build")).first!
            let history = FindingHistory(buildID: try recorded.decode(Int64.self, 0), new: try recorded.decode(Int.self, 1),
                                         reopened: try recorded.decode(Int.self, 2), resolved: try recorded.decode(Int.self, 3),
                                         open: try recorded.decode(Int.self, 4))
            try connection.execute("drop schema if exists facts cascade; alter schema facts_next rename to facts")
            return Result(pullID: pullID, tables: counts, findings: findings, history: history, seconds: Date().timeIntervalSince(started))
        }
    }
}
