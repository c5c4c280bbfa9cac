import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl import-plans PATH...`: planning CSVs staged into `order_plan_raw` and normalised into `order_plan`.
struct ImportPlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-plans",
        abstract: "Import planning CSV files (folders: their *.csv files in name order) into order_plan.",
        discussion: """
            Each file is staged with its lineage and normalised in one transaction. Exit 0 all good; 1 rows were \
            rejected but every file was imported; 2 a file was refused; 3 operational error.
            """)

    @Argument(help: "Files and folders.", completion: .file(extensions: ["csv"]))
    var paths: [String]

    @Option(help: "auto, ',', ';', tab or '|'.")
    var delimiter = "auto"

    @Option(help: "utf-8, windows-1252 or latin1.")
    var encoding = "utf-8"

    @Option(name: .customLong("date-order"), help: "dmy (day first) or mdy (month first) for numeric dates.")
    var dateOrder = "dmy"

    @Option(name: .customLong("max-reject-rate"), help: "Refuse a file when more than this share of its rows is rejected (0 to 1).")
    var maxRejectRate = 0.5

    @Flag(help: "Import files again even when the same content was already imported.")
    var force = false

    @Option(help: "Move each successfully imported file into this folder (never overwriting).", completion: .directory)
    var archive: String?

    @Flag(help: "Print the outcome as one JSON document on stdout.")
    var json = false

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var databases: DatabaseOptions

    func validate() throws {
        guard ["auto", ",", ";", "tab", "\t", "|"].contains(delimiter) else {
            throw ValidationError("--delimiter must be auto, ',', ';', tab or '|'")
        }
        guard InputEncoding(rawValue: encoding.lowercased()) != nil else {
            throw ValidationError("--encoding must be utf-8, windows-1252 or latin1")
        }
        guard DateOrder(rawValue: dateOrder) != nil else { throw ValidationError("--date-order must be dmy or mdy") }
        guard (0...1).contains(maxRejectRate) else { throw ValidationError("--max-reject-rate must be between 0 and 1") }
    }

    var options: PlanImportOptions {
        PlanImportOptions(
            delimiter: delimiter == "auto" ? nil : (delimiter == "tab" ? UInt8(ascii: "\t") : delimiter.utf8.first),
            encoding: InputEncoding(rawValue: encoding.lowercased())!, dateOrder: DateOrder(rawValue: dateOrder)!,
            maxRejectRate: maxRejectRate, force: force, archive: archive.map { URL(fileURLWithPath: $0) },
            receivedAt: asOf.date)
    }

    func run() throws {
        try CommandEdge.run {
            let files = try PlanImporter.expand(paths)
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let results = try Connection.withConnection(manager) { connection in
                try PlanImporter(options: options).importFiles(files, connection: connection)
            }
            for result in results { PlanImportOutput.printSummary(result) }
            let status = ExitStatus(importing: results)
            if json { try PlanImportOutput.printJSON(results, status: status) }
            if status != .success { throw ExitCode(status.rawValue) }
        }
    }
}
