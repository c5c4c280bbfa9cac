import Foundation

/// The metrics file of `mtp-etl import-plans` (the frequent import of working hours), beside the run's.
///
/// Its own family names (`mtp_etl_import_*`), so the textfile collector can read both files of one directory.
/// A success is an import that ended 0 or 1 (rows rejected, every file imported); the last success is carried
/// over from the previous file otherwise.
public enum ImportMetrics {
    /// The metrics of one `import-plans`: its results (nil when it failed before importing) and its exit status.
    public static func exposition(_ results: [PlanImportResult]?, exitCode: Int32, startedAt: Date, finishedAt: Date,
                                  previousFile: URL?) -> PrometheusText {
        var text = PrometheusText()
        text.add("mtp_etl_import_last_exit_status", .gauge, "Exit status of the last import-plans (0 ok, 1 rows rejected, 2 a file refused, 3 operational, 4 busy, 5 interrupted).", Double(exitCode))
        text.add("mtp_etl_import_last_start_timestamp_seconds", .gauge, "When the last import-plans started.", startedAt.timeIntervalSince1970)
        text.add("mtp_etl_import_last_end_timestamp_seconds", .gauge, "When the last import-plans ended.", finishedAt.timeIntervalSince1970)
        let succeeded = exitCode == ExitStatus.success.rawValue || exitCode == ExitStatus.rowsRejected.rawValue
        let name = "mtp_etl_import_last_success_timestamp_seconds"
        if let lastSuccess = succeeded ? finishedAt.timeIntervalSince1970 : previousFile.flatMap({ PrometheusText.previousValue(of: name, in: $0) }) {
            text.add(name, .gauge, "When the last import-plans that imported every file ended.", lastSuccess)
        }
        guard let results else { return text }
        let statuses: [(String, PlanImportResult.Status)] = [("imported", .imported), ("skipped", .skipped), ("refused", .refused), ("not_settled", .notSettled)]
        for (label, status) in statuses {
            text.add("mtp_etl_import_files", .gauge, "Planning files of the last import-plans, by what became of them.",
                     labels: [("status", label)], Double(results.filter { $0.status == status }.count))
        }
        let rows: [(String, Int)] = [("read", results.reduce(0) { $0 + $1.rowsRead }), ("imported", results.reduce(0) { $0 + $1.imported }),
                                     ("rejected", results.reduce(0) { $0 + $1.rejected }), ("blank", results.reduce(0) { $0 + $1.blank })]
        for (label, count) in rows {
            text.add("mtp_etl_import_rows", .gauge, "Planning rows of the last import-plans, by what became of them.", labels: [("status", label)], Double(count))
        }
        return text
    }
}
