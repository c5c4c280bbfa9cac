import Foundation
import MTPPipeline

/// How runs are printed.
enum RunOutput {
    /// `  build          12.3 s  succeeded  fact_rows=… findings=…`
    static func stageLine(_ summary: StageSummary) -> String {
        let counts = summary.counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let memory = summary.peakRSSMiB.map { String(format: "  peak %.0f MiB", $0) } ?? ""
        return "  \(summary.stage.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(String(format: "%6.1f s", summary.seconds))  \(summary.outcome)\(memory)\(counts.isEmpty ? "" : "  " + counts)"
            + (summary.error.map { "\n      \($0)" } ?? "")
    }

    /// The closing lines of a run.
    static func closing(_ summary: RunSummary) -> String {
        let seconds = summary.finishedAt.timeIntervalSince(summary.startedAt)
        var lines = ["run \(summary.runID.map(String.init) ?? "-") \(summary.outcome) in \(String(format: "%.1f", seconds)) s, exit \(summary.exitCode)"]
        for stage in summary.stages { lines += stage.notices.map { "\(stage.stage.rawValue): \($0)" } }
        if let workbook = summary.workbook { lines.append("workbook: \(workbook)") }
        if let error = summary.error { lines.append("error: \(error)") }
        return lines.joined(separator: "\n")
    }
}
