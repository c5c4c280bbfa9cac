import Foundation
import Postgres

/// What monitoring knows from Manager: the run ledger, the last pull, the data's age and the findings.
///
/// Read by `sql/operations/ledger_figures.sql` and `facts_figures.sql`, the one definition that the metrics
/// file and `mtp-etl status` share. Times are seconds since the Unix epoch.
public struct MonitoringFigures: Sendable {
    /// A run of the ledger.
    public struct Run: Sendable {
        /// Its id in `mtp.run`.
        public var id: Int64
        /// How it ended (or `running`).
        public var outcome: RunOutcome
        /// Its exit code (nil while running).
        public var exitCode: Int32?
        /// When it started or finished.
        public var time: Double
        /// The stage that failed or was interrupted.
        public var failedStage: String? = nil
    }

    /// One check's findings of one severity.
    public struct Findings: Sendable {
        /// The check (`facts.finding.check_name`).
        public var check: String
        /// `error` or `warning`.
        public var severity: String
        /// How many.
        public var count: Int
    }

    /// The newest run, running or not, with its start.
    public var lastRun: Run?
    /// The newest finished run, with its end.
    public var lastFinished: Run?
    /// When the newest successful run finished.
    public var lastSuccess: Double?
    /// Every run of the ledger by outcome.
    public var runsByOutcome: [String: Int] = [:]
    /// The last successful pull: when it finished, its rows and the standby's lag (0 from a primary).
    public var lastPull: (finished: Double, rows: Int, replicaLag: Double?)?
    /// The newest time stamp in the facts' data (bag scanned, batch output, dispatch).
    public var dataAsOf: Double?
    /// The findings of the facts, by check and severity.
    public var findings: [Findings] = []
    /// Manager's clock when read.
    public var now: Double

    /// Reads the figures; the facts' part only once a build exists.
    public static func read(_ connection: Connection, files: ProjectFiles) throws -> MonitoringFigures {
        let sql = SQLStatements("operations", files: files)
        guard let row = try connection.query(try sql.text("ledger_figures")).first else {
            throw PipelineError(.operational, "ledger_figures.sql returned no row")
        }
        var figures = MonitoringFigures(now: try row.decode(Double.self, "now"))
        if let id = try row.decode(Int64?.self, "last_run_id") {
            figures.lastRun = Run(id: id, outcome: try outcome(row, "last_run_outcome"), exitCode: nil,
                                  time: try row.decode(Double.self, "last_run_started"))
        }
        if let id = try row.decode(Int64?.self, "finished_run_id") {
            figures.lastFinished = Run(id: id, outcome: try outcome(row, "finished_run_outcome"),
                                       exitCode: try row.decode(Int32?.self, "finished_run_exit_code"),
                                       time: try row.decode(Double?.self, "finished_run_finished") ?? figures.now,
                                       failedStage: try row.decode(String?.self, "finished_run_failed_stage"))
        }
        figures.lastSuccess = try row.decode(Double?.self, "last_success_finished")
        let outcomes = try row.decode(String.self, "runs_by_outcome")
        figures.runsByOutcome = (try? JSONDecoder().decode([String: Int].self, from: Data(outcomes.utf8))) ?? [:]
        if let finished = try row.decode(Double?.self, "last_pull_finished") {
            figures.lastPull = (finished, try row.decode(Int?.self, "last_pull_rows") ?? 0, try row.decode(Double?.self, "last_pull_replay_lag"))
        }
        guard try connection.query("select to_regclass('facts.build') is not null and to_regclass('facts.finding') is not null").first!.decode(Bool.self, 0) else {
            return figures
        }
        for figure in try connection.query(try sql.text("facts_figures")).rows {
            switch try figure.decode(String.self, "kind") {
            case "data_as_of":
                figures.dataAsOf = try figure.decode(Double?.self, "value")
            default:
                figures.findings.append(Findings(check: try figure.decode(String.self, "check_name"), severity: try figure.decode(String.self, "severity"),
                                                 count: Int(try figure.decode(Double.self, "value"))))
            }
        }
        return figures
    }

    /// A ledger outcome column as a ``RunOutcome`` (a word the ledger does not allow is an error).
    private static func outcome(_ row: Row, _ column: String) throws -> RunOutcome {
        let text = try row.decode(String.self, column)
        guard let outcome = RunOutcome(rawValue: text) else { throw PipelineError(.operational, "mtp.run holds an unknown outcome \(text)") }
        return outcome
    }

    /// How old the data is at Manager's clock, when there are facts.
    public var dataAge: Double? { dataAsOf.map { max(0, now - $0) } }
}
