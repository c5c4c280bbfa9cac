import ArgumentParser
import MTPPipeline
import Postgres

/// `mtp-etl snapshots`: past Central pulls, newest first.
struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "List past Central pulls, newest first.")

    @Option(help: "How many to list.")
    var last = 20

    func validate() throws {
        guard last >= 1 else { throw ValidationError("--last \(last): give 1 or more") }
    }

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            print(try Connection.withConnection(manager, applicationName: "mtp-etl snapshots") { try PullHistory.render($0, last: last) })
        }
    }
}
