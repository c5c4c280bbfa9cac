import Foundation
import Logging
import Postgres

/// `mtp-etl run`: every stage in order (migrate, check, import-plans, pull-central, build, report), under the
/// no-overlap lock, recorded in the run ledger. A failed stage stops the run with its exit code; what earlier
/// runs produced (facts, snapshot, workbook) stays readable because every stage replaces its output whole.
/// ``interrupt(signal:)`` cancels the stage's statement, so its transaction rolls back, and marks the run
/// interrupted.
public final class ScheduledRun: @unchecked Sendable {
    /// What the run does: each stage's own options, as the stage commands take them.
    public struct Options: Sendable {
        /// The planning inbox; nil: no import.
        public var inbox: URL?
        /// How the inbox's files are read and applied (settle time, archive, when they count as received).
        public var planImport: PlanImportOptions
        /// How Central is pulled (jobs, the standby's lag).
        public var pull: CentralPull.Options
        /// The workbook: its directory, time zone, date, detail period and the moment it stands for.
        public var report: ManagementReport.Options

        /// The moment the run stands for, when not now (a replayed day, the demo): the report's, which the
        /// planning files count as received at too.
        public var asOf: Date? { report.asOf }

        /// Options; the import's and the pull's have their defaults.
        public init(inbox: URL? = nil, planImport: PlanImportOptions = PlanImportOptions(), pull: CentralPull.Options = CentralPull.Options(),
                    report: ManagementReport.Options) {
            self.inbox = inbox
            self.planImport = planImport
            self.pull = pull
            self.report = report
        }
    }

    /// Hooks for progress display; each may be called from the run's thread only.
    public struct Observer: Sendable {
        /// A stage starts.
        public var stageStarted: @Sendable (RunStage) -> Void
        /// A stage advanced: rows (or another unit) so far, and the total when known.
        public var progress: @Sendable (RunStage, _ done: Int, _ total: Int?, _ unit: String) -> Void
        /// A stage ended.
        public var stageFinished: @Sendable (StageSummary) -> Void

        /// Hooks, each doing nothing unless given.
        public init(stageStarted: @escaping @Sendable (RunStage) -> Void = { _ in },
                    progress: @escaping @Sendable (RunStage, Int, Int?, String) -> Void = { _, _, _, _ in },
                    stageFinished: @escaping @Sendable (StageSummary) -> Void = { _ in }) {
            self.stageStarted = stageStarted
            self.progress = progress
            self.stageFinished = stageFinished
        }
    }

    let configuration: DatabaseConfiguration
    let files: ProjectFiles
    let options: Options
    let observer: Observer
    let logger: Logger
    /// The name every session of this run shows in `pg_stat_activity`; the ledger's own adds " ledger".
    let sessionName: String
    private let state = NSLock()
    private var interruptedBy: Int32?

    /// A run; nothing happens until ``run()``.
    public init(configuration: DatabaseConfiguration, files: ProjectFiles, options: Options, observer: Observer = .init(),
                logger: Logger = Logger(label: "mtp.run")) {
        self.configuration = configuration
        self.files = files
        self.options = options
        self.observer = observer
        self.logger = logger
        self.sessionName = "mtp-etl run pid \(getpid())"
    }

    /// The signal that interrupted the run, if one did.
    var interruption: Int32? {
        state.lock()
        defer { state.unlock() }
        return interruptedBy
    }

    /// Interrupts the run (from a signal handler's queue): the running statement is cancelled, its transaction
    /// rolls back, no further stage starts, and the run is marked interrupted.
    public func interrupt(signal: Int32) {
        state.lock()
        let first = interruptedBy == nil
        if first { interruptedBy = signal }
        state.unlock()
        guard first else { return }
        logger.warning("signal \(signal): interrupting the run")
        cancelStatements()
        // A statement that started just after the first cancel is caught by the second.
        Thread.sleep(forTimeInterval: 0.5)
        cancelStatements()
    }

    private func cancelStatements() {
        do {
            _ = try Connection.withConnection(configuration.manager, applicationName: "mtp-etl run cancel") { connection in
                try connection.query("""
                    select pg_cancel_backend(pid) from pg_stat_activity
                     where application_name = $1 and pid <> pg_backend_pid() and state <> 'idle'
                    """, [sessionName])
            }
        } catch {
            logger.error("could not cancel the run's statements: \(error)")
        }
    }

    /// Records a run that failed before its first stage (an output directory it cannot write, say) in the
    /// ledger of `manager` when that answers and has one; returns the run's id there, nil when it could not.
    public static func recordFailedStart(_ summary: RunSummary, manager: String, inbox: URL?, asOf: Date?) -> Int64? {
        guard let connection = try? Connection.connect(manager, applicationName: "mtp-etl run ledger"),
              (try? connection.query("select to_regclass('mtp.run') is not null").first?.decode(Bool.self, 0)) == true else { return nil }
        let ledger = RunLedger(connection: connection)
        guard let id = try? ledger.begin(host: summary.host, pid: summary.pid, inbox: inbox?.path, asOf: asOf) else { return nil }
        try? ledger.finish(run: id, summary)
        return id
    }

    /// Runs every stage; never throws: the summary says how it went and which exit code it ends with.
    public func run() -> RunSummary {
        let started = Date()
        let host = ProcessInfo.processInfo.hostName
        var summary = RunSummary(runID: nil, outcome: .running, exitCode: 0, startedAt: started, finishedAt: started,
                                 host: host, pid: getpid(), stages: [], workbook: nil, failedStage: nil, error: nil)
        let ledgerConnection: Connection
        do {
            ledgerConnection = try Connection.connect(configuration.manager, applicationName: sessionName + " ledger")
        } catch {
            return finish(&summary, nil, outcome: .failed, error: error, stage: nil)
        }
        do {
            guard try RunLock.acquireForRun(ledgerConnection) else {
                let holder = try RunLock.describeHolder(ledgerConnection)
                return finish(&summary, nil, outcome: .busy, error: PipelineError(.busy, "another run is in progress: \(holder); not waiting"), stage: nil)
            }
        } catch {
            return finish(&summary, nil, outcome: .failed, error: error, stage: nil)
        }
        let stageConnection: Connection
        do {
            stageConnection = try Connection.connect(configuration.manager, applicationName: sessionName)
        } catch {
            return finish(&summary, nil, outcome: .failed, error: error, stage: nil)
        }
        let context = StageContext(configuration: configuration, files: files, options: options, logger: logger, observer: observer,
                                   sessionName: sessionName, connection: stageConnection)

        // migrate first: the ledger's own tables may be what it creates.
        var ledger: RunLedger?
        var runID: Int64?
        var exitFloor = ExitStatus.success
        for (position, stage) in RunStage.allCases.enumerated() {
            if let signal = interruption {
                return finish(&summary, ledger, outcome: .interrupted, error: PipelineError(.operational, "interrupted by signal \(signal) before \(stage.rawValue)"), stage: stage)
            }
            observer.stageStarted(stage)
            logger.info("stage \(stage.rawValue) started")
            let stageStart = Date()
            StageMemory.reset()
            if let ledger, let runID { try? ledger.stageStarted(run: runID, position: position + 1, stage: stage, at: stageStart) }
            var stageSummary = StageSummary(stage: stage, outcome: .succeeded, startedAt: stageStart, seconds: 0, counts: [:], peakRSSMiB: nil, error: nil)
            var failure: (any Error)?
            do {
                let outcome = try context.run(stage)
                stageSummary.counts = outcome.counts
                stageSummary.notices = outcome.notices
                stageSummary.outcome = outcome.skipped ? .skipped : .succeeded
                if let workbook = outcome.workbook { summary.workbook = workbook }
                if stage == .report {
                    summary.dataAgeSeconds = outcome.dataAgeSeconds
                    summary.stale = outcome.stale
                }
                if outcome.exitFloor.rawValue > exitFloor.rawValue { exitFloor = outcome.exitFloor }
            } catch {
                failure = error
                stageSummary.outcome = interruption != nil ? .interrupted : .failed
                stageSummary.error = "\(error)"
            }
            stageSummary.seconds = Date().timeIntervalSince(stageStart)
            stageSummary.peakRSSMiB = StageMemory.peakMiB()
            if stage == .migrate, failure == nil {
                do {
                    let newLedger = RunLedger(connection: ledgerConnection)
                    try newLedger.closeAbandoned()
                    let id = try newLedger.begin(host: host, pid: getpid(), inbox: options.inbox?.path, asOf: options.asOf)
                    try newLedger.stageStarted(run: id, position: 1, stage: .migrate, at: stageStart)
                    ledger = newLedger
                    runID = id
                    summary.runID = id
                } catch {
                    failure = error
                    stageSummary.outcome = .failed
                    stageSummary.error = "the run ledger cannot be written: \(error)"
                }
            }
            if let ledger, let runID { try? ledger.stageFinished(run: runID, position: position + 1, stageSummary) }
            summary.stages.append(stageSummary)
            observer.stageFinished(stageSummary)
            logger.info("stage \(stage.rawValue) \(stageSummary.outcome) in \(String(format: "%.1f", stageSummary.seconds)) s \(stageSummary.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            if let failure {
                let outcome: RunOutcome = interruption != nil ? .interrupted : .failed
                return finish(&summary, ledger, outcome: outcome, error: failure, stage: stage)
            }
        }
        summary.exitCode = exitFloor.rawValue
        return finish(&summary, ledger, outcome: .succeeded, error: nil, stage: nil)
    }

    private func finish(_ summary: inout RunSummary, _ ledger: RunLedger?, outcome: RunOutcome, error: (any Error)?, stage: RunStage?) -> RunSummary {
        summary.outcome = outcome
        summary.finishedAt = Date()
        summary.failedStage = stage
        if let error {
            summary.error = stage.map { "\($0.rawValue): \(error)" } ?? "\(error)"
            summary.exitCode = outcome == .interrupted ? ExitStatus.interrupted.rawValue : ExitStatus(for: error).rawValue
        }
        if let ledger, let runID = summary.runID {
            do { try ledger.finish(run: runID, summary) } catch { logger.error("could not close run \(runID) in the ledger: \(error)") }
        }
        return summary
    }
}
