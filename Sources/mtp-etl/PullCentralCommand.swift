import ArgumentParser
import MTPPipeline

/// `mtp-etl pull-central`: a consistent, read-only snapshot of Central in the Manager database.
struct PullCentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull-central",
        abstract: "Copy a consistent, read-only snapshot of Central's tables into the Manager database (schema snapshot).",
        discussion: "On any failure the previous snapshot stays as it was, the pull is recorded as failed and the exit code is 3.")

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            CommandEdge.bootstrapLogging()
            let result = try CentralPull(configuration: try databases.resolve()).run()
            for table in result.tables {
                CommandEdge.printError("  \(table.name): \(table.rows) rows in \(String(format: "%.2f", table.seconds)) s")
            }
            print("pull \(result.pullID): \(result.totalRows) rows from \(result.tables.count) tables; snapshot replaced")
        }
    }
}
