import Foundation
import MTPPipeline

/// How `build` prints its outcome: text (the summary on stdout, the details on stderr) or one JSON document.
enum BuildOutput {
    /// The text form.
    static func printText(_ result: FactsBuild.Result, verification: FactsVerification.Outcome?) {
        for table in result.tables { CommandEdge.printError("  facts.\(table.name): \(table.rows) rows") }
        for finding in result.findings { CommandEdge.printError("  finding \(finding.severity) \(finding.check): \(finding.count)") }
        let history = result.history
        let how = result.mode == .full ? "full build (\(result.fullReason ?? "full"))" : "incremental build"
        print("built facts from snapshot \(result.pullID) in \(String(format: "%.1f", result.seconds)) s, \(how); \(result.findings.reduce(0) { $0 + $1.count }) findings"
              + " (\(history.new) new, \(history.reopened) reopened, \(history.resolved) resolved, \(history.open) open)")
        print("  keys recomputed: " + result.keys.map { "\($0.kind.replacingOccurrences(of: "_", with: " ")) \($0.count)" }.joined(separator: ", "))
        guard let verification else { return }
        if verification.differences.isEmpty {
            print("verified: \(verification.tables.count) fact tables equal a full build, row for row")
        }
        for difference in verification.differences {
            print("DIFFERS facts.\(difference.table): \(difference.onlyPublished) rows only in the published facts, \(difference.onlyFull) only in a full build")
            if let sample = difference.samplePublished { print("  published: \(sample)") }
            if let sample = difference.sampleFull { print("  full:      \(sample)") }
        }
    }

    /// The JSON form.
    static func printJSON(_ result: FactsBuild.Result, verification: FactsVerification.Outcome?) throws {
        struct Verify: Encodable {
            var equal: Bool
            var tables: [String]
            var differences: [FactsVerification.Difference]
        }
        struct Document: Encodable {
            var snapshot: Int64
            var mode: String
            var fullReason: String?
            var seconds: Double
            var keys: [String: Int]
            var findings: [String: Int]
            var findingsNew, findingsReopened, findingsResolved, findingsOpen: Int
            var verify: Verify?
            enum CodingKeys: String, CodingKey {
                case snapshot, mode, fullReason = "full_reason", seconds, keys, findings, verify
                case findingsNew = "findings_new", findingsReopened = "findings_reopened", findingsResolved = "findings_resolved"
                case findingsOpen = "findings_open"
            }
        }
        let document = Document(
            snapshot: result.pullID, mode: result.mode.rawValue, fullReason: result.fullReason, seconds: result.seconds,
            keys: Dictionary(result.keys.map { ($0.kind, $0.count) }, uniquingKeysWith: +),
            findings: Dictionary(result.findings.map { ($0.check, $0.count) }, uniquingKeysWith: +),
            findingsNew: result.history.new, findingsReopened: result.history.reopened, findingsResolved: result.history.resolved,
            findingsOpen: result.history.open,
            verify: verification.map { Verify(equal: $0.differences.isEmpty, tables: $0.tables, differences: $0.differences) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(document) + Data("\n".utf8))
    }
}
