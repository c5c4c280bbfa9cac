import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl runs`: the run ledger, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "Print the history of runs (the run ledger), newest first.")

    @Option(help: "How many runs to show.")
    var last = 10

    func validate() throws {
        guard last >= 1 else { throw ValidationError("--last \(last): give 1 or more") }
    }

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let text = try Connection.withConnection(manager, applicationName: "mtp-etl runs") { connection in
                guard try connection.query("select to_regclass('mtp.run') is not null").first!.decode(Bool.self, 0) else {
                    return "no runs yet (the ledger appears with the first `mtp-etl run`)"
                }
                return try RunHistory.render(connection, last: last)
            }
            print(text)
        }
    }
}
