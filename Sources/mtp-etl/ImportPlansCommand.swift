import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl import-plans PATH...`: planning CSVs staged into `order_plan_raw` and normalised into `order_plan`.
struct ImportPlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-plans",
        abstract: "Import planning files (folders: their *.csv, *.txt and *.tsv files in name order) into order_plan.",
        discussion: """
            Each file is staged with its lineage and normalised in one transaction. Exit 0 all good; 1 rows were \
            rejected but every file was imported; 2 a file was refused; 3 operational error.
            """)

    @Argument(help: "Files and folders.", completion: .file(extensions: ["csv"]))
    var paths: [String]

    @Option(help: "auto, ',', ';', tab or '|'.")
    var delimiter = "auto"

    @Option(help: "auto (the byte-order mark's UTF-8 or UTF-16, else UTF-8), utf-8, utf-16le, utf-16be, windows-1252 or latin1.")
    var encoding = "auto"

    @Option(name: .customLong("decimal-mark"), help: "The decimal mark of numbers: . or , (default: , in a semicolon-separated file, . otherwise).")
    var decimalMark: String?

    @Option(name: .customLong("date-order"), help: "dmy (day first) or mdy (month first) for numeric dates.")
    var dateOrder = PlanImportOptions.defaults.dateOrder.rawValue

    @Option(name: .customLong("max-reject-rate"), help: "Refuse a file when more than this share of its rows is rejected (0 to 1).")
    var maxRejectRate = PlanImportOptions.defaults.maxRejectRate

    @Flag(help: "Import files again even when the same content was already imported.")
    var force = false

    @OptionGroup var inbox: InboxOptions

    @Flag(help: "Print the outcome as one JSON document on stdout.")
    var json = false

    @Option(name: .customLong("metrics-file"), help: ArgumentHelp("Write Prometheus metrics of this import here when it ends, however it ends (default: $MTP_METRICS_DIR/mtp_etl_import.prom when MTP_METRICS_DIR is set).", valueName: "path"))
    var metricsFile: String?

    @OptionGroup var asOf: AsOfOption

    @OptionGroup var databases: DatabaseOptions

    func validate() throws {
        guard ["auto", ",", ";", "tab", "\t", "|"].contains(delimiter) else {
            throw ValidationError("--delimiter must be auto, ',', ';', tab or '|'")
        }
        guard encoding.lowercased() == "auto" || InputEncoding(rawValue: encoding.lowercased()) != nil else {
            throw ValidationError("--encoding must be auto, \(InputEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let decimalMark, DecimalMark(rawValue: decimalMark) == nil { throw ValidationError("--decimal-mark must be . or ,") }
        guard DateOrder(rawValue: dateOrder) != nil else { throw ValidationError("--date-order must be dmy or mdy") }
        try inbox.refuseRepliesInto(paths.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        })
        guard (0...1).contains(maxRejectRate) else { throw ValidationError("--max-reject-rate must be between 0 and 1") }
    }

    /// How the files are read (validated), then the inbox's and the moment's settings.
    var options: PlanImportOptions {
        var reading = PlanImportOptions.defaults
        reading.delimiter = delimiter == "auto" ? nil : (delimiter == "tab" ? UInt8(ascii: "\t") : delimiter.utf8.first)
        reading.encoding = InputEncoding(rawValue: encoding.lowercased())
        reading.dateOrder = DateOrder(rawValue: dateOrder)!
        reading.decimalMark = decimalMark.flatMap(DecimalMark.init(rawValue:))
        reading.maxRejectRate = maxRejectRate
        reading.force = force
        return inbox.planImport(reading: reading, asOf: asOf)
    }

    func run() throws {
        let started = Date()
        var results: [PlanImportResult]?
        do {
            try CommandEdge.run {
                let files = try ProjectFiles.locate()
                let importer = PlanImporter(options: options, files: files)
                let now = Date()
                var found = importer.expand(paths, now: now)
                let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
                let imported = try RunLock.holding(manager, applicationName: "mtp-etl import-plans" + RunLock.commandSessionSuffix) {
                    try Connection.withConnection(manager) { connection in
                        try Migrator(directory: files.migrations).requireCurrent(connection)
                        try importer.settleFutureFiles(&found, connection: connection, now: now)
                        try importer.recordSkipped(found, connection: connection)
                        return try importer.importFiles(found.ready, connection: connection)
                    }
                } + found.unimported
                results = imported
                for result in imported { PlanImportOutput.printSummary(result) }
                let status = ExitStatus(importing: imported)
                if json { try PlanImportOutput.printJSON(imported, status: status) }
                if status != .success { throw ExitCode(status.rawValue) }
            }
            writeMetrics(results, exitCode: 0, startedAt: started)
        } catch let exit as ExitCode {
            writeMetrics(results, exitCode: exit.rawValue, startedAt: started)
            throw exit
        }
    }

    /// Writes the metrics file when one is asked for; a failure to write it is said and changes no exit status.
    private func writeMetrics(_ results: [PlanImportResult]?, exitCode: Int32, startedAt: Date) {
        guard let file = metricsFile.map({ URL(fileURLWithPath: $0) }) ?? RunMetrics.defaultFile(named: "mtp_etl_import") else { return }
        do {
            try ImportMetrics.exposition(results, exitCode: exitCode, startedAt: startedAt, finishedAt: Date(), previousFile: file).write(to: file)
        } catch {
            CommandEdge.printError("mtp-etl: \(error)", level: .error)
        }
    }
}
