import Foundation
import Postgres

/// `mtp-etl build`: the traceability, yield and reconciliation facts, from the latest snapshot and Manager's
/// order tables, in set-based SQL inside PostgreSQL.
///
/// The facts' definitions (`sql/build`, ``BuildDefinition``) compute the keys of a scope. A full build puts every
/// key in scope and writes a new schema `facts_next`, its parts on several connections at once (``BuildLanes``),
/// which then replaces `facts` in one transaction. An incremental build, the default once facts exist, puts in
/// scope what the changes since the facts' snapshot reach (`sql/build/scope/changes.sql`), deletes those keys'
/// rows from `facts` and computes them again, in place, in one transaction. Readers see the previous facts until
/// the build publishes its own, and a failed or interrupted build leaves them as they were (the pull's changes
/// stay, so the next build finds them again; a full build's unfinished `facts_next` is dropped by the next one).
public struct FactsBuild: Sendable {
    /// How the facts were built.
    public enum Mode: String, Sendable {
        /// Every key, into a new schema.
        case full
        /// The keys a change reaches, in place.
        case incremental
    }

    /// What a build may do.
    public struct Options: Sendable {
        /// Build in full whatever changed (`--full`).
        public var full = false
        /// A change reaching more than this share of the bags or of the batches is built in full: recomputing
        /// most keys one scope at a time costs more than computing all of them at once.
        public var fullThreshold = Self.defaultFullThreshold
        /// 25 %.
        public static let defaultFullThreshold = 0.25
        /// Connections a full build runs its parts on (``BuildLanes``), the build's own among them.
        public var jobs = Self.defaultJobs
        /// As many as the pull's (``CentralPull/defaultJobs``): up to 4, no more than the machine's cores, but 2
        /// at least.
        public static var defaultJobs: Int { CentralPull.defaultJobs }
        /// Opens another connection to the build's database for a full build's parts; nil: the build's own
        /// connection runs them all, one after another.
        public var connect: Connect?

        /// Options; the defaults build incrementally where the facts allow it, and in full on one connection.
        public init(full: Bool = false, fullThreshold: Double = Self.defaultFullThreshold, jobs: Int = Self.defaultJobs,
                    connect: Connect? = nil) {
            self.full = full
            self.fullThreshold = fullThreshold
            self.jobs = jobs
            self.connect = connect
        }
    }

    /// Opens a connection to the build's database (as the build's session, so that what cancels the build's
    /// statements cancels these too).
    public typealias Connect = @Sendable () throws -> Connection

    /// What a build produced.
    public struct Result: Sendable {
        /// The snapshot (pull) the facts come from.
        public var pullID: Int64
        /// Full or incremental.
        public var mode: Mode
        /// Why the build was a full one (nil for an incremental build).
        public var fullReason: String?
        /// Keys recomputed, per kind (bags, batches, shipments ...), in ``BuildScope/kinds`` order.
        public var keys: [(kind: String, count: Int)]
        /// Rows per fact table (a full build counts them; an incremental one leaves this empty).
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

    /// Builds the facts in the Manager database behind `connection`: incrementally where the facts allow it,
    /// else in full.
    @discardableResult
    public func run(_ connection: Connection, options: Options = .init()) throws -> Result {
        let started = Date()
        guard try connection.query("select to_regclass('snapshot.pull') is not null").first!.decode(Bool.self, 0) else {
            throw PipelineError(.operational, "there is no Central snapshot yet: run `mtp-etl pull-central` first")
        }
        let definition = try BuildDefinition(files: files)
        var reason = "asked for with --full"
        if !options.full {
            switch try incremental(connection, definition: definition, options: options, started: started) {
            case .built(let result): return result
            case .full(let why): reason = why
            }
        }
        return try full(connection, definition: definition, reason: reason, options: options, started: started)
    }

    private enum Attempt {
        case built(Result)
        case full(String)
    }

    /// A change too large to be worth an incremental build: its transaction rolls back, a full one follows.
    private struct FullBuildNeeded: Error {
        var reason: String
    }

    /// One build at a time: a second waits for the first's session lock before it starts (so that it reads what
    /// the first committed), rather than interleaving.
    static func locked<T>(_ connection: Connection, _ body: () throws -> T) throws -> T {
        try connection.query("select pg_advisory_lock(hashtext('mtp-etl build'))")
        defer { _ = try? connection.query("select pg_advisory_unlock(hashtext('mtp-etl build'))") }
        return try body()
    }

    /// The build's transaction, writing `schema`, under the build's lock. Repeatable read: every statement reads
    /// Manager's order tables at the same instant.
    static func transaction<T>(_ connection: Connection, writing schema: String, _ body: (Connection) throws -> T) throws -> T {
        try locked(connection) {
            try connection.withTransaction(.init(isolation: .repeatableRead)) { connection in
                try prepare(connection, writing: schema)
                return try body(connection)
            }
        }
    }

    /// Settings of a transaction of the build, writing `schema` (first in the search path). JIT off: the build
    /// plans a statement per genealogy level, and compiling each cost more than it saved.
    static func prepare(_ connection: Connection, writing schema: String) throws {
        try connection.execute("set local jit = off")
        try connection.query("select set_config('search_path', $1, true)", [quoteIdentifier(schema)])
    }

    /// How the facts are being built, for the definitions (`mtp.build_mode`: full or incremental, `mtp.build_reason`:
    /// why full, `mtp.build_definition`: the checksum), in the transaction.
    static func describe(_ connection: Connection, mode: Mode, reason: String?, checksum: String) throws {
        try connection.query("""
            select set_config('mtp.build_mode', $1, true), set_config('mtp.build_reason', $2, true), set_config('mtp.build_definition', $3, true)
            """, [mode.rawValue, reason ?? "", checksum])
    }

    /// Full builds tried when a pull replaces the snapshot while one runs.
    static let fullAttempts = 3

    /// A full build: every key, into a new schema `facts_next`, which then replaces `facts`. Its parts run on
    /// several connections (``BuildLanes``), each in a transaction of its own, all reading what the first
    /// transaction fixed: the scope of every key and what the build read of Manager's order tables (`seen_*`),
    /// written into `facts_next`, and the snapshot, which only a pull changes (a pull that commits while the parts
    /// run is found in the last transaction, and the build starts over). The last transaction writes the views and
    /// functions, records the build and publishes the facts; until it commits, readers see the previous ones.
    private func full(_ connection: Connection, definition: BuildDefinition, reason: String, options: Options, started: Date) throws -> Result {
        try Self.locked(connection) {
            for _ in 1...Self.fullAttempts {
                if let result = try fullAttempt(connection, definition: definition, reason: reason, options: options, started: started) {
                    return result
                }
            }
            throw PipelineError(.operational, "a pull replaced the snapshot during each of \(Self.fullAttempts) full builds; the previous facts are unchanged: build again once the pulls are done")
        }
    }

    /// Each part's seconds in the facts' full build (`facts.build_part`), for the next one's schedule; none for
    /// facts without them.
    static func partSeconds(_ connection: Connection) throws -> [String: Double] {
        guard try connection.query("select to_regclass('facts.build_part') is not null").first!.decode(Bool.self, 0) else { return [:] }
        return Dictionary(try connection.query("select part, seconds::float8 from facts.build_part").rows.map {
            (try $0.decode(String.self, 0), try $0.decode(Double.self, 1))
        }, uniquingKeysWith: max)
    }

    /// One full build; nil when a pull replaced the snapshot while its parts ran (nothing is published).
    private func fullAttempt(_ connection: Connection, definition: BuildDefinition, reason: String, options: Options, started: Date) throws -> Result? {
        let schema = "facts_next", checksum = definition.checksum
        let prepare: @Sendable (Connection) throws -> Void = { connection in
            try Self.prepare(connection, writing: schema)
            try Self.describe(connection, mode: .full, reason: reason, checksum: checksum)
        }
        let pullID = try connection.withTransaction(.init(isolation: .repeatableRead)) { connection in
            try prepare(connection)
            let pullID = try connection.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0)
            try connection.execute("drop schema if exists facts_next cascade; create schema facts_next")
            try ManagerChanges.recordSeen(connection)
            return pullID
        }
        let graph = BuildPartGraph(parts: definition.fullBuildParts)
        let priorities = graph.priorities(seconds: try Self.partSeconds(connection))
        let seconds = try BuildLanes(graph: graph, priorities: priorities, lanes: options.jobs, leader: connection,
                                     connect: options.connect, prepare: prepare).run()
        return try connection.withTransaction(.init(isolation: .repeatableRead)) { connection -> Result? in
            try prepare(connection)
            guard try connection.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0) == pullID else { return nil }
            for step in definition.steps where !step.everyBuild {
                try Self.execute(step, on: connection, everyKey: true, passingIncompleteFacts: false)
            }
            let keys = try BuildScope.counts(connection)
            try BuildScope.drop(connection, schema: schema)
            try ManagerChanges.keySeen(connection, schema: schema)
            try connection.execute("create table build_part (part text primary key, seconds numeric not null)")
            try connection.query("insert into build_part select part, round(seconds, 3) from unnest($1::text[], $2::numeric[]) as t (part, seconds)",
                                 [graph.parts.map(\.key), seconds.map { Decimal($0) }])
            let tables = try connection.query("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'facts_next' and c.relkind = 'r' order by c.relname
                """).rows.map { try $0.decode(String.self, 0) }
            var counts: [(String, Int)] = []
            for table in tables {
                counts.append((table, try connection.query("select count(*) from facts_next.\(quoteIdentifier(table))").first!.decode(Int.self, 0)))
            }
            let result = try finish(connection, mode: .full, reason: reason, keys: keys, tables: counts, started: started)
            try connection.execute("drop schema if exists facts cascade; alter schema facts_next rename to facts")
            return result
        }
    }

    private func incremental(_ connection: Connection, definition: BuildDefinition, options: Options, started: Date) throws -> Attempt {
        do {
            return try incrementalTransaction(connection, definition: definition, options: options, started: started)
        } catch let needed as FullBuildNeeded {
            return .full(needed.reason)
        }
    }

    /// True for an error of facts missing a table or column their definitions write (undefined table or column).
    static func isIncompleteFacts(_ error: PostgresError) -> Bool {
        ["42P01", "42703"].contains(error.sqlState ?? "")
    }

    /// Facts missing a table or column their definitions write (a facts schema altered by hand, or left
    /// incomplete) cannot be built in place: the build starts over in full.
    private func requiringFullWhenIncomplete<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as PostgresError where Self.isIncompleteFacts(error) {
            throw FullBuildNeeded(reason: "the facts are incomplete (\(error.message)): they are built again whole")
        }
    }

    private func incrementalTransaction(_ connection: Connection, definition: BuildDefinition, options: Options, started: Date) throws -> Attempt {
        try Self.transaction(connection, writing: "facts") { connection in
            let facts: (pullID: Int64, definition: String)
            switch try BuildScope.publishedFacts(connection) {
            case .none: return .full("no facts yet: the first build")
            case .earlierVersion: return .full("the facts were built by an earlier version of mtp-etl")
            case .built(let pullID, let checksum): facts = (pullID, checksum)
            }
            guard facts.definition == definition.checksum else {
                return .full("the facts were built by other definitions (sql/build, a migration or the source contract changed)")
            }
            let current = try connection.query("select pull_id from snapshot.pull").first!.decode(Int64.self, 0)
            if facts.pullID != current {
                guard try SnapshotChanges.changesLead(from: facts.pullID, connection) else {
                    return .full("the snapshot's changes do not lead from the facts' snapshot \(facts.pullID) (a pull without them, or by an earlier version)")
                }
            }
            // A change is a small share of the history: its keys are found and recomputed through the indexes of
            // the facts and the snapshot, which a machine running this keeps in memory. What costs there is visiting
            // rows: a scan visits every row of the history, a probe a few, and a cached page or an operator costs
            // little beside either. PostgreSQL's defaults price a page of a spinning disk (random 4) and a row at a
            // hundredth of a page, so the planner scanned and hashed whole tables of a million bags for a day's
            // 15,000 (docs/BENCHMARKS.md: a random page at 1.1, then a row at a tenth of a page, took every scan of
            // the history out of a day's build). The full build keeps the defaults: it reads every row anyway.
            try connection.execute("set local random_page_cost = 1.1; set local cpu_tuple_cost = 0.1")
            let managerKeys = try ManagerChanges.keys(connection, seenSchema: "facts")
            for statement in BuildChanges.centralStatements(factsAreOfCurrentSnapshot: facts.pullID == current)
                + ManagerChanges.deltaStatements(keys: managerKeys) {
                try connection.execute(statement)
            }
            // Every join of what the change reaches goes from a few keys to a table's index (changes.sql joins
            // nothing else); the planner, counting on every key matching in every table, hashed whole tables of the
            // history instead (at 2M bags, 1.1 s of a day's build), or merged the keys with a whole index of them
            // (edge_record_shipment's 600,000 at a million bags: 0.35 s).
            try connection.execute("set local enable_hashjoin = off; set local enable_mergejoin = off")
            try requiringFullWhenIncomplete { try BuildScope.fill(connection, sql: definition.changes, passingIncompleteFacts: true) }
            try connection.execute("set local enable_hashjoin = on; set local enable_mergejoin = on")
            let keys = try BuildScope.counts(connection)
            if let tooLarge = try BuildScope.tooLarge(keys, threshold: options.fullThreshold, connection) {
                throw FullBuildNeeded(reason: tooLarge)   // rolls the scope back; the full build has a transaction of its own
            }
            try ManagerChanges.applySeen(connection, keys: managerKeys)
            try requiringFullWhenIncomplete {
                try runSteps(definition.steps.filter(\.everyBuild), on: connection, mode: .incremental, reason: nil,
                             checksum: definition.checksum, passingIncompleteFacts: true)
            }
            try connection.execute(BuildChanges.dropCentralViews)
            return .built(try finish(connection, mode: .incremental, reason: nil, keys: keys, tables: [], started: started))
        }
    }

    /// Runs `steps` into the schema first in the search path, in the transaction of `connection` (an incremental
    /// build, and the full build a verification compares with). What the build read of Manager (`seen_*`) is
    /// there already: the definitions read it.
    func runSteps(_ steps: [BuildDefinition.Step], on connection: Connection, mode: Mode, reason: String?, checksum: String,
                  passingIncompleteFacts: Bool = false) throws {
        try Self.describe(connection, mode: mode, reason: reason, checksum: checksum)
        for step in steps {
            try Self.execute(step, on: connection, everyKey: mode == .full, passingIncompleteFacts: passingIncompleteFacts)
        }
    }

    /// Runs one step; an error names it (but for facts missing a table or column, when `passingIncompleteFacts`:
    /// the caller builds in full then).
    static func execute(_ step: BuildDefinition.Step, on connection: Connection, everyKey: Bool, passingIncompleteFacts: Bool) throws {
        do {
            try connection.execute(step.text(everyKey: everyKey))
        } catch let error as PostgresError where !(passingIncompleteFacts && isIncompleteFacts(error)) {
            throw PipelineError(.operational, "build step sql/build/\(step.name) failed; the previous facts are unchanged: \(error)")
        }
    }

    /// The findings' memory moves with the facts, in the same transaction: a failed build leaves both.
    private func finish(_ connection: Connection, mode: Mode, reason: String?, keys: [(kind: String, count: Int)],
                        tables: [(String, Int)], started: Date) throws -> Result {
        let pullID = try connection.query("select pull_id from build").first!.decode(Int64.self, 0)
        let findings = try connection.query("""
            select check_name, severity, count(*)::int from finding group by 1, 2 order by 2, 1
            """).rows.map { (try $0.decode(String.self, 0), try $0.decode(String.self, 1), try $0.decode(Int.self, 2)) }
        try connection.query("select set_config('mtp.build_keys', $1, true)", [BuildScope.json(keys)])
        // The memory joins the build's findings with it by their text keys: hashed. Planned as merges, each join
        // sorted 5,000 keys by the database's collation (10 ms a sort, half of the memory's time in a day's build).
        try connection.execute("set local enable_mergejoin = off")
        let recorded = try connection.query(try SQLStatements.of("history", files: files).text("record_build")).first!
        try connection.execute("set local enable_mergejoin = on")
        let history = FindingHistory(buildID: try recorded.decode(Int64.self, 0), new: try recorded.decode(Int.self, 1),
                                     reopened: try recorded.decode(Int.self, 2), resolved: try recorded.decode(Int.self, 3),
                                     open: try recorded.decode(Int.self, 4))
        return Result(pullID: pullID, mode: mode, fullReason: reason, keys: keys, tables: tables, findings: findings,
                      history: history, seconds: Date().timeIntervalSince(started))
    }
}
