import ArgumentParser
import MTPPipeline
import Postgres

/// `mtp-etl pull-central`: a consistent, read-only snapshot of Central in the Manager database.
struct PullCentralCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull-central",
        abstract: "Copy a consistent, read-only snapshot of Central's tables into the Manager database (schema snapshot).",
        discussion: """
            One instant for every table: serializable read-only deferrable on a primary, repeatable read on a hot-standby \
            replica (one further behind than --max-replica-lag is refused); --jobs connections import the same exported \
            snapshot. On any failure the previous snapshot stays as it was, the pull is recorded as failed and the exit code is 3.
            """)

    @OptionGroup var databases: DatabaseOptions
    @OptionGroup var options: PullOptions

    func run() throws {
        try CommandEdge.run {
            CommandEdge.bootstrapLogging()
            let configuration = try databases.resolve()
            let result = try RunLock.holding(configuration.manager, applicationName: "mtp-etl pull-central" + RunLock.commandSessionSuffix) {
                try Connection.withConnection(configuration.manager, applicationName: "mtp-etl pull-central") { connection in
                    try Migrator(directory: try ProjectFiles.locate().migrations).requireCurrent(connection)
                }
                return try CentralPull(configuration: configuration, options: options.pullOptions).run()
            }
            for table in result.tables {
                CommandEdge.printError("  \(table.name): \(table.rows) rows in \(String(format: "%.2f", table.seconds)) s")
            }
            print("pull \(result.pullID): \(result.totalRows) rows from \(result.tables.count) tables; snapshot \(result.inPlace ? "changed in place" : "replaced")")
        }
    }
}
