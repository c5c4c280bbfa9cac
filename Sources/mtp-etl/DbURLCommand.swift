import ArgumentParser
import MTPPipeline

/// `mtp-etl db url`: prints a database's URL, for psql or `MTP_*_URL`.
struct DbURLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the URL of an embedded database (manager by default).")

    @Argument(help: "manager, central or postgres")
    var database: String = "manager"

    @Flag(help: "Print the Unix-socket conninfo instead of the TCP URL.")
    var socket = false

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            guard LocalDatabase.databases.contains(database) || database == "postgres" else {
                throw ValidationError("unknown database \(database): use manager, central or postgres")
            }
            print(socket ? try local.socketConninfo(database: database) : try local.tcpURL(database: database))
        }
    }
}
