import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl report`: the management workbook from the built facts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the management workbook mtp-report-YYYY-MM-DD.xlsx from the built facts.",
        discussion: """
            The Summary gives each key figure for the day, the week and the month to date, the last 28 days and the 28 \
            before them; Trends the last 12 weeks; the detail sheets the last --period-days days and whatever is still \
            open. Sheets come from reports/management/ (one SQL query and one layout each).
            """)

    @OptionGroup var databases: DatabaseOptions
    @OptionGroup var report: ReportOptions

    @Option(help: "Directory the workbook is written to (made when missing).")
    var out = "out"

    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var dataAge: DataAgeOptions

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let options = dataAge.applied(to: period.managementReport(out: out, report: report, asOf: asOf))
            try ReportSession.prepareOutputDirectory(options.outputDirectory)    // before any work, database included
            let result = try RunLock.holding(manager, applicationName: "mtp-etl report" + RunLock.commandSessionSuffix) {
                try Connection.withConnection(manager, applicationName: "mtp-etl report") { connection in
                    let files = try ProjectFiles.locate()
                    try Migrator(directory: files.migrations).requireCurrent(connection)
                    return try ManagementReport(files: files).run(connection, options: options)
                }
            }
            for sheet in result.sheets { CommandEdge.printError("  \(sheet.name): \(sheet.rows) rows") }
            print("wrote \(result.file.path) in \(String(format: "%.1f", result.seconds)) s")
            if let warning = result.staleWarning { CommandEdge.printError("mtp-etl: \(warning)", level: .warning) }
            if let memory = result.memoryError {
                CommandEdge.printError("mtp-etl: the workbook is written, but what it showed is not remembered (the next one compares with the one before): \(memory)", level: .warning)
            }
            if result.stale {
                throw PipelineError(.stale, "the data is older than --max-data-age \(dataAge.maxDataAge ?? ""): the workbook says STALE DATA in its title")
            }
        }
    }
}
