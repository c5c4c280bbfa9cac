import ArgumentParser
import MTPDevelopment
import MTPPipeline
import Postgres

/// `mtp-etl fixture create`: drops and recreates the embedded `manager` and `central` databases.
struct FixtureCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Drop and recreate the embedded manager and central databases from sql/fixtures/*.sql.")

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            let installer = FixtureInstaller(files: try ProjectFiles.locate())
            try Connection.withConnection(local.runningConninfo(database: "postgres")) { admin in
                for system in SourceSystem.allCases {
                    try installer.recreate(system, database: system.rawValue, admin: admin,
                                           conninfo: local.socketConninfo(database: system.rawValue))
                    print("\(system.rawValue): recreated from sql/fixtures/\(system.rawValue).sql")
                }
            }
        }
    }
}
