import Foundation
import Logging
import Postgres

/// Pulls a consistent, read-only snapshot of Central's tables into the Manager database.
///
/// One instant of Central is taken in a transaction on a session with `default_transaction_read_only = on`:
/// `serializable, read only, deferrable` on a primary, `repeatable read, read only` on a hot-standby replica
/// (which has no serializable). With several jobs that transaction exports its snapshot and the other
/// connections import it, so every table is of the same instant, as `pg_dump --jobs` does. Each table is
/// streamed with binary `COPY ... TO STDOUT` into `COPY ... FROM STDIN` in 1 MiB chunks into `snapshot_next`, on
/// a Manager connection of its job, then keyed, indexed and analyzed there; `snapshot_next` replaces `snapshot`
/// in one Manager transaction only when every table is complete, so readers see the previous snapshot until then.
/// Once a build has run on a snapshot of this version's layout, later pulls copy into unlogged staging there
/// instead and apply only what changed to `snapshot`, in the same one transaction (``SnapshotChanges``).
/// Every pull is recorded in `mtp.central_pull`.
public struct CentralPull: Sendable {
    /// Hooks for progress and tests.
    public struct Observer: Sendable {
        /// Called when a table starts copying, with the Central session's backend pid.
        public var tableStarted: (@Sendable (_ table: String, _ centralPID: Int32) -> Void)?
        /// Called after each chunk of a table is copied, with the bytes so far.
        public var chunkCopied: (@Sendable (_ table: String, _ bytes: Int) -> Void)?
        /// Makes an observer.
        public init(tableStarted: (@Sendable (String, Int32) -> Void)? = nil, chunkCopied: (@Sendable (String, Int) -> Void)? = nil) {
            self.tableStarted = tableStarted
            self.chunkCopied = chunkCopied
        }
    }

    /// What a successful pull did.
    public struct Result: Sendable {
        /// The pull's id in `mtp.central_pull`.
        public var pullID: Int64
        /// Rows and seconds per table, in copy order.
        public var tables: [(name: String, rows: Int, seconds: Double)]
        /// Columns Central has that the pipeline ignores (noticed once).
        public var notices: [String]
        /// True when the snapshot was changed in place (its changes applied), false when written whole.
        public var inPlace = false
        /// All rows copied.
        public var totalRows: Int { tables.reduce(0) { $0 + $1.rows } }
    }

    /// Where the two systems are.
    public var configuration: DatabaseConfiguration
    /// Progress hooks.
    public var observer: Observer
    /// Connection attempts to Central (with backoff between them).
    public var connectAttempts = 3
    /// Seconds before the second attempt; doubled before each further one.
    public var firstBackoff = 0.5
    /// Where attempts and notices are logged.
    public var logger = Logger(label: "mtp.pull-central")
    /// The application name its sessions show in `pg_stat_activity` (a scheduled run names them after itself).
    public var applicationName = "mtp-etl pull-central"
    /// What `pull-central` and `run` let the user choose: jobs and the standby's lag.
    public struct Options: Sendable {
        /// A standby further behind than this, when none is given: 15 minutes.
        public static let defaultMaxReplicaLagSeconds: Double = 15 * 60
        /// Connections copying at once, each importing the same snapshot; nil: ``CentralPull/defaultJobs``.
        public var jobs: Int?
        /// A standby further behind its primary than this many seconds is refused (its data would be old).
        public var maxReplicaLagSeconds: Double

        /// Options; nil for either is its default.
        public init(jobs: Int? = nil, maxReplicaLagSeconds: Double? = nil) {
            self.jobs = jobs
            self.maxReplicaLagSeconds = maxReplicaLagSeconds ?? Self.defaultMaxReplicaLagSeconds
        }
    }

    /// The user's choices.
    public var options: Options
    /// Whole pulls tried when a standby cancels a query in a recovery conflict (with backoff between).
    public var conflictAttempts = 3

    /// Jobs when none are asked for: up to 4, no more than this machine's cores (but 2 at least), never more than
    /// the tables. On 2 cores, 4 jobs were slower than 2 (0.93x against 0.79x the sequential psql pipes in the
    /// same hour): the biggest table's job then shares its core while it is the one everything waits for.
    public static var defaultJobs: Int { min(4, max(2, ProcessInfo.processInfo.activeProcessorCount), SourceContract.central.count) }

    /// The jobs a pull uses.
    var jobCount: Int { max(1, min(options.jobs ?? Self.defaultJobs, SourceContract.central.count)) }

    /// A pull between the configured systems.
    public init(configuration: DatabaseConfiguration, options: Options = Options(), observer: Observer = .init()) {
        self.configuration = configuration
        self.options = options
        self.observer = observer
    }

    /// Pulls a snapshot. Any failure leaves the previous snapshot as it was, records the pull as failed with the
    /// reason and throws an operational error; another running pull makes it throw `busy`.
    @discardableResult
    public func run() throws -> Result {
        let manager = try Connection.connect(configuration.manager, applicationName: applicationName)
        let locked = try manager.query("select pg_try_advisory_lock(hashtext('mtp-etl pull-central'))").first!.decode(Bool.self, 0)
        guard locked else {
            throw PipelineError(.busy, "another pull-central is running against the Manager database (\(configuration.managerDescription))")
        }
        // A pull that died without finishing (killed, machine lost) holds no lock any more: say so in the ledger.
        try manager.query("""
            update mtp.central_pull set outcome = 'failed', finished_at = clock_timestamp(),
                   error = 'interrupted: the process ended before the pull finished'
             where outcome = 'running'
            """)
        let pullID = try manager.query("insert into mtp.central_pull (jobs) values ($1) returning pull_id", [jobCount]).first!.decode(Int64.self, 0)
        do {
            let result = try pullRetryingConflicts(pullID: pullID, manager: manager)
            // The newest bag or batch output the snapshot holds: how fresh what it brought is (`snapshots`).
            try manager.query("""
                update mtp.central_pull set outcome = 'succeeded', finished_at = clock_timestamp(), rows_total = $2,
                       newest_scan_at = (select to_timestamp(max(t) / 1000.0) from (
                           select max(received_ts) as t from snapshot.tealine_record
                           union all select max(received_ts) from snapshot.herbline_record
                           union all select max(received_ts) from snapshot.blendbalance_record
                           union all select max(received_ts) from snapshot.blendsheet_record
                           union all select max(received_ts) from snapshot.flavorsheet_record) scans)
                 where pull_id = $1
                """, [pullID, result.totalRows])
            return result
        } catch {
            // The jobs committed their tables into snapshot_next as they went: a failed pull removes them.
            try? manager.execute("drop schema if exists \(SnapshotSchema.next) cascade")
            let reason = ConnectionString.redact(ConnectionString.redact("\(error)", conninfo: configuration.central), conninfo: configuration.manager)
            _ = try? manager.query("""
                update mtp.central_pull set outcome = 'failed', finished_at = clock_timestamp(), error = $2 where pull_id = $1
                """, [pullID, reason])
            if let error = error as? PipelineError { throw error }
            throw PipelineError(.operational, "pull-central \(pullID) failed; the previous snapshot is unchanged: \(reason)")
        }
    }

    /// A query on a standby cancelled because replaying the primary's changes needed what it read (SQLSTATE
    /// 40001, "conflict with recovery"): the whole pull is tried again, the previous snapshot untouched meanwhile.
    private func pullRetryingConflicts(pullID: Int64, manager: Connection) throws -> Result {
        var delay = firstBackoff * 4
        for attempt in 1...max(conflictAttempts, 1) {
            do {
                try manager.query("update mtp.central_pull set attempts = $2 where pull_id = $1", [pullID, attempt])
                return try pull(pullID: pullID, manager: manager)
            } catch let conflict as RecoveryConflict {
                let advice = RecoveryConflict.advice
                guard attempt < conflictAttempts else {
                    throw PipelineError(.operational, "Central's standby cancelled the pull \(attempt) times in a conflict with recovery: \(conflict.error.message); \(advice)")
                }
                logger.warning("Central's standby cancelled the pull in a conflict with recovery (attempt \(attempt) of \(conflictAttempts): \(conflict.error.message)); trying again in \(delay) s; \(advice)")
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
            }
        }
        throw PipelineError(.operational, "pull-central gave up")
    }


    private func pull(pullID: Int64, manager: Connection) throws -> Result {
        let central = try CentralPull.connectReadOnly(configuration.central, attempts: connectAttempts, firstBackoff: firstBackoff,
                                                  logger: logger, applicationName: applicationName)
        let identifier = try? central.query("select system_identifier::text from pg_control_system()").first?.decode(String.self, 0)
        try manager.query("""
            update mtp.central_pull set central_host = $2, central_port = $3, central_database = $4, system_identifier = $5
             where pull_id = $1
            """, [pullID, central.endpoint.host, central.endpoint.port, central.endpoint.database, identifier])

        let findings = try SchemaCheck(system: "central", tables: SourceContract.central).run(central)
        let problems = findings.filter { $0.severity == .problem }.map(\.message)
        guard problems.isEmpty else {
            throw PipelineError(.operational, "Central's schema no longer matches what the pipeline reads; nothing copied:\n  " + problems.joined(separator: "\n  "))
        }
        let notices = findings.filter { $0.severity == .notice }.map(\.message)
        for notice in notices { logger.notice("\(notice)") }

        let probe = try CentralSource.inspect(central)
        if !probe.encrypted, !CentralSource.isLocal(host: central.endpoint.host) {
            logger.warning("Central at \(central.endpoint.description) is read over the network without TLS: give sslmode=verify-full and sslrootcert in its URL (docs/OPERATIONS.md, TLS)")
        }
        if let lag = probe.replayLagSeconds, lag > options.maxReplicaLagSeconds {
            try recordSource(probe, pullID: pullID, manager: manager)
            throw PipelineError(.operational, """
                Central's standby at \(central.endpoint.description) is \(DurationText.format(lag)) behind its primary, more than \
                --max-replica-lag \(DurationText.format(options.maxReplicaLagSeconds)); nothing copied: wait for it to catch up, or pull from the primary
                """)
        }
        do {
            return try copy(from: central, probe: probe, pullID: pullID, manager: manager, notices: notices)
        } catch let error as PostgresError where probe.isStandby {
            throw RecoveryConflict.classify(error, standbyEndpoint: central.endpoint.description) ?? error
        }
    }

    /// Copies every table of one instant into `snapshot_next` (on several connections) and swaps it in.
    private func copy(from central: Connection, probe: CentralSource, pullID: Int64, manager: Connection,
                      notices: [String]) throws -> Result {
        var tables: [(name: String, rows: Int, seconds: Double)] = []
        var changedInPlace = false
        try central.withTransaction(probe.snapshotTransaction) { central in
            // The instant: its time, (for the other jobs) its snapshot, and its WAL position.
            let instant = try central.query("select now(), case when $1 then pg_export_snapshot() end, \(CentralSource.walPositionSQL)",
                                            [jobCount > 1]).first!
            let snapshotAt = try instant.decode(Date.self, 0)
            let exported = try instant.decode(String?.self, 1)
            var source = probe
            source.walPosition = try instant.decode(String?.self, 2)
            try recordSource(source, pullID: pullID, manager: manager)
            // Under the write lock: no build moves the facts while the changes are found against them.
            let changes = try SnapshotChanges.base(manager)
            // A snapshot with a base, laid out by this version, is changed in place: the tables are copied into
            // unlogged staging, compared with the snapshot, and only what changed is applied to it (its indexes
            // and statistics stay). Otherwise the new snapshot is written whole and renamed into place.
            let inPlace = try changes != nil && SnapshotChanges.canChangeInPlace(manager)
            changedInPlace = inPlace
            try manager.execute("drop schema if exists \(SnapshotSchema.next) cascade; create schema \(SnapshotSchema.next)")
            for table in SourceContract.central {
                try manager.execute(SnapshotSchema.createTable(table, schema: SnapshotSchema.next, unlogged: inPlace))
            }
            let others = PullJobs.Connections(manager: configuration.manager, applicationName: applicationName) { [self] in
                try Self.connectReadOnly(configuration.central, attempts: connectAttempts, firstBackoff: firstBackoff,
                                         logger: logger, applicationName: applicationName)
            }
            tables = try PullJobs(jobs: jobCount, connections: others, observer: observer, leader: central, exportedSnapshot: exported,
                              changes: changes, inPlace: inPlace)
                .copy(SourceContract.central)
            // The swap: only now, every table complete, in one Manager transaction.
            try manager.withTransaction { manager in
                try manager.query("update mtp.central_pull set snapshot_at = $2 where pull_id = $1", [pullID, snapshotAt])
                try manager.query("""
                    insert into mtp.central_pull_table
                    select $1, t.name, t.rows, t.ms from unnest($2::text[], $3::bigint[], $4::numeric[]) as t (name, rows, ms)
                    """, [pullID, tables.map(\.name), tables.map { Int64($0.rows) }, tables.map { Decimal($0.seconds * 1000) }])
                if let changes, inPlace {
                    try applyInPlace(changes, copied: tables, pullID: pullID, snapshotAt: snapshotAt, manager: manager)
                    return
                }
                try manager.execute("create table \(SnapshotSchema.next).pull (pull_id bigint not null, snapshot_at timestamptz not null)")
                try manager.query("insert into \(SnapshotSchema.next).pull values ($1, $2)", [pullID, snapshotAt])
                try SnapshotChanges.recordLayout(on: manager)
                if let changes { try SnapshotChanges.recordBase(changes, schema: SnapshotSchema.next, on: manager) }
                try manager.execute("""
                    drop schema if exists \(SnapshotSchema.current) cascade;
                    alter schema \(SnapshotSchema.next) rename to \(SnapshotSchema.current)
                    """)
            }
        }
        return Result(pullID: pullID, tables: tables, notices: notices, inPlace: changedInPlace)
    }

    /// The swap of a snapshot changed in place (in the swap's transaction): each table's changes applied to it,
    /// then the pull, the base and the changes recorded there, and the staging dropped. A table whose change
    /// reaches a tenth of its rows is analyzed again (autovacuum would, later: the build plans with it now).
    private func applyInPlace(_ changes: SnapshotChanges.Base, copied: [PullJobs.Copied], pullID: Int64, snapshotAt: Date,
                              manager: Connection) throws {
        let current = SnapshotSchema.current, next = SnapshotSchema.next
        for table in SourceContract.central {
            let delta = "\(next).\(quoteIdentifier(SnapshotChanges.deltaName(table)))"
            let changed = try manager.query("select count(*) from \(delta)").first!.decode(Int.self, 0)
            for statement in SnapshotChanges.applyStatements(table, carried: changes.carried) { try manager.execute(statement) }
            let rows = copied.first { $0.name == table.name }?.rows ?? 0
            if table.primaryKey.isEmpty || changed * 10 > rows {
                try manager.execute("analyze \(current).\(quoteIdentifier(table.name))")
            }
        }
        try manager.query("update \(current).pull set pull_id = $1, snapshot_at = $2", [pullID, snapshotAt])
        try SnapshotChanges.recordBase(changes, schema: current, on: manager)
        try manager.execute("drop schema \(next) cascade")
    }

    private func recordSource(_ source: CentralSource, pullID: Int64, manager: Connection) throws {
        try manager.query("""
            update mtp.central_pull
               set source_is_standby = $2, replay_lag = make_interval(secs => $3), wal_position = $4::pg_lsn, encrypted = $5
             where pull_id = $1
            """, [pullID, source.isStandby, source.replayLagSeconds, source.walPosition, source.encrypted])
    }

    /// Connects to Central read-only (`default_transaction_read_only = on` for the whole session), retrying with
    /// backoff; each failed attempt is logged.
    public static func connectReadOnly(_ conninfo: String, attempts: Int = 3, firstBackoff: Double = 0.5,
                                       logger: Logger = Logger(label: "mtp.pull-central"),
                                       applicationName: String = "mtp-etl pull-central") throws -> Connection {
        var delay = firstBackoff
        for attempt in 1...max(attempts, 1) {
            do {
                let connection = try Connection.connect(conninfo, applicationName: applicationName)
                try connection.execute("set default_transaction_read_only = on")
                return connection
            } catch let error as PostgresError where attempt < attempts {
                logger.warning("connecting to Central failed (attempt \(attempt) of \(attempts)): \(error); retrying in \(delay) s")
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
            } catch let error as PostgresError {
                logger.error("connecting to Central failed (attempt \(attempt) of \(attempts)): \(error)")
                throw PipelineError(.operational, "cannot connect to Central after \(attempts) attempts: \(error)")
            }
        }
        throw PipelineError(.operational, "cannot connect to Central")
    }
}
