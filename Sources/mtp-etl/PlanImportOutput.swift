import Foundation
import Logging
import MTPPipeline

/// How `import-plans` reports: a few lines per file on stderr, or one JSON document on stdout.
enum PlanImportOutput {
    /// Rejects listed per file on stderr; the rest are in `mtp.plan_reject` (or the JSON).
    static let listedOnTerminal = 20

    static func printSummary(_ result: PlanImportResult) {
        let file = InputText.shown(result.file)
        switch result.status {
        case .skipped:
            CommandEdge.printError("\(file): skipped: \(result.message ?? "")")
        case .refused:
            CommandEdge.printError("\(file): refused: \(result.message ?? "")", level: .error)
        case .notSettled:
            CommandEdge.printError("\(file): not settled: \(result.message ?? "")", level: .warning)
        case .imported:
            var line = "\(file): import \(result.importID.map(String.init) ?? "?"): rows read \(result.rowsRead), imported \(result.imported) (new \(result.inserted), revised \(result.updated)), rejected \(result.rejected), skipped \(result.skipped)"
            if result.blank > 0 { line += ", empty rows \(result.blank)" }
            if let lines = result.linesAboveHeader { line += "; \(PlanImportResult.describe(lines)) skipped above the header" }
            if let archived = result.archivedTo { line += "; archived to \(archived)" }
            CommandEdge.printError(line)
            if let archiveError = result.archiveError { CommandEdge.printError("\(file): \(archiveError)", level: .error) }
        }
        if let reply = result.replyFile { CommandEdge.printError("\(file): reply for the planner: \(InputText.shown(reply))") }
        if let replyError = result.replyError { CommandEdge.printError("\(file): reply not written: \(replyError)", level: .error) }
        for reject in result.rejects.prefix(listedOnTerminal) {
            CommandEdge.printError("  line \(reject.line): \(reject.reason)", level: .warning)
        }
        if result.rejected > listedOnTerminal {
            CommandEdge.printError("  ... and \(result.rejected - listedOnTerminal) more rejected rows" + (result.status == .imported ? " (see mtp.plan_reject)" : ""))
        }
    }

    static func printJSON(_ results: [PlanImportResult], status: ExitStatus) throws {
        struct Document: Encodable {
            var files: [PlanImportResult]
            var exitCode: Int32
            enum CodingKeys: String, CodingKey { case files, exitCode = "exit_code" }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Document(files: results, exitCode: status.rawValue))
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }
}
