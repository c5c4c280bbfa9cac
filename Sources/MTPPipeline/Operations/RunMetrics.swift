import Foundation
import Postgres

/// The metrics file of `mtp-etl run` and `import-plans`: Prometheus text for node_exporter's textfile collector.
///
/// Names follow Prometheus's conventions: the `mtp_etl_` prefix, base units (`_seconds`, `_bytes`), `_total`
/// only on counters, what varies in labels. The run's own figures come from its summary (so a run that never
/// reached Manager still writes its failure); the ledger's (last success, runs by outcome, pull, findings, the
/// data's age) from ``MonitoringFigures`` when Manager answers, else the last success is carried over from the
/// file the previous run wrote.
public enum RunMetrics {
    /// Where the metrics go when no `--metrics-file` is given: `$MTP_METRICS_DIR/<name>.prom`.
    public static func defaultFile(named name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        guard let directory = environment["MTP_METRICS_DIR"], !directory.isEmpty else { return nil }
        return URL(fileURLWithPath: directory).appendingPathComponent("\(name).prom")
    }

    /// The metrics of a finished run.
    public static func exposition(_ summary: RunSummary, figures: MonitoringFigures?, previousFile: URL?) -> PrometheusText {
        var text = PrometheusText()
        for outcome in RunOutcome.finished {
            text.add("mtp_etl_run_last_outcome", .gauge, "1 for the outcome of the last run, 0 for the others.",
                     labels: [("outcome", outcome.rawValue)], summary.outcome == outcome ? 1 : 0)
        }
        text.add("mtp_etl_run_last_exit_status", .gauge, "Exit status of the last run (README: 0 ok, 2 input refused, 3 operational, 4 busy, 5 interrupted, 6 stale data).", Double(summary.exitCode))
        text.add("mtp_etl_run_last_stale", .gauge, "1 when the last run's data was older than its --max-data-age (its workbook says STALE DATA), else 0.", summary.stale ? 1 : 0)
        text.add("mtp_etl_run_last_start_timestamp_seconds", .gauge, "When the last run started.", summary.startedAt.timeIntervalSince1970)
        text.add("mtp_etl_run_last_end_timestamp_seconds", .gauge, "When the last run ended.", summary.finishedAt.timeIntervalSince1970)
        text.add("mtp_etl_run_last_duration_seconds", .gauge, "How long the last run took.", summary.finishedAt.timeIntervalSince(summary.startedAt))
        let succeededNow = summary.outcome == .succeeded ? summary.finishedAt.timeIntervalSince1970 : nil
        let lastSuccess = figures?.lastSuccess ?? succeededNow
            ?? previousFile.flatMap { PrometheusText.previousValue(of: "mtp_etl_run_last_success_timestamp_seconds", in: $0) }
        if let lastSuccess {
            text.add("mtp_etl_run_last_success_timestamp_seconds", .gauge, "When the last successful run ended.", lastSuccess)
        }
        for (outcome, runs) in (figures?.runsByOutcome ?? [:]).sorted(by: { $0.key < $1.key }) {
            text.add("mtp_etl_runs_total", .counter, "Runs in the ledger, by outcome.", labels: [("outcome", outcome)], Double(runs))
        }
        for stage in summary.stages {
            let labels = [("stage", stage.stage.rawValue)]
            text.add("mtp_etl_run_stage_duration_seconds", .gauge, "How long each stage of the last run took.", labels: labels, stage.seconds)
            if let rows = stageRows(stage) {
                text.add("mtp_etl_run_stage_rows", .gauge, "Rows each stage of the last run handled (read, pulled, built, written).", labels: labels, Double(rows))
            }
            if let memory = stage.peakRSSMiB {
                text.add("mtp_etl_run_stage_peak_memory_bytes", .gauge, "The process's peak resident memory during each stage.", labels: labels, memory * 1_048_576)
            }
        }
        if let imports = summary.stages.first(where: { $0.stage == .importPlans }) {
            for (status, key) in [("imported", "imported"), ("skipped", "skipped"), ("refused", "refused"), ("not_settled", "not_settled")] {
                text.add("mtp_etl_plan_files", .gauge, "Planning files of the last run, by what became of them.", labels: [("status", status)], Double(imports.counts[key] ?? 0))
            }
            for (status, key) in [("read", "rows_read"), ("imported", "rows_imported"), ("rejected", "rows_rejected"), ("blank", "rows_blank")] {
                text.add("mtp_etl_plan_rows", .gauge, "Planning rows of the last run, by what became of them.", labels: [("status", status)], Double(imports.counts[key] ?? 0))
            }
        }
        if let figures { addLedgerFigures(figures, to: &text) }
        if let workbook = summary.workbook, let size = (try? FileManager.default.attributesOfItem(atPath: workbook))?[.size] as? Int {
            text.add("mtp_etl_workbook_size_bytes", .gauge, "Size of the last run's management workbook.", Double(size))
        }
        return text
    }

    /// The facts' and the pull's figures.
    static func addLedgerFigures(_ figures: MonitoringFigures, to text: inout PrometheusText) {
        for finding in figures.findings {
            text.add("mtp_etl_findings", .gauge, "Reconciliation findings of the current facts, by check and severity.",
                     labels: [("check", finding.check), ("severity", finding.severity)], Double(finding.count))
        }
        if let dataAsOf = figures.dataAsOf, let age = figures.dataAge {
            text.add("mtp_etl_data_newest_timestamp_seconds", .gauge, "The newest time stamp in the facts' data (bag scanned, batch output, dispatch).", dataAsOf)
            text.add("mtp_etl_data_age_seconds", .gauge, "How old the facts' newest data was when the metrics were written.", age)
        }
        if let pull = figures.lastPull {
            text.add("mtp_etl_central_last_pull_timestamp_seconds", .gauge, "When the last successful Central pull ended.", pull.finished)
            text.add("mtp_etl_central_rows_pulled", .gauge, "Rows the last successful Central pull copied.", Double(pull.rows))
            text.add("mtp_etl_central_replica_lag_seconds", .gauge, "How far Central's standby was behind its primary at the last pull (0 from a primary).", pull.replicaLag ?? 0)
        }
    }

    /// The rows a stage handled: read (import), pulled, fact rows built, rows written (report).
    static func stageRows(_ stage: StageSummary) -> Int? {
        switch stage.stage {
        case .importPlans: return stage.counts["rows_read"]
        case .pullCentral: return stage.counts["rows"]
        case .build: return stage.counts["fact_rows"]
        case .report: return stage.counts["rows"]
        case .migrate, .check: return nil
        }
    }

    /// Writes the metrics of `summary` to `file`, with the ledger's figures when Manager answers on `manager`.
    public static func write(_ summary: RunSummary, to file: URL, manager: String?, files: ProjectFiles?) throws {
        var figures: MonitoringFigures?
        if let manager, let files {
            figures = try? Connection.withConnection(manager, applicationName: "mtp-etl metrics") { try MonitoringFigures.read($0, files: files) }
        }
        try exposition(summary, figures: figures, previousFile: file).write(to: file)
    }
}
