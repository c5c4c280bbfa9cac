import ArgumentParser
import MTPPipeline
import Postgres

/// `mtp-etl migrate`: applies the pipeline's migrations to the Manager database.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply sql/migrations/NNNN_name.sql to the Manager database in order, each in its own transaction.")

    @Flag(help: "List applied and pending migrations instead of applying them.")
    var status = false

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let migrator = Migrator(directory: try ProjectFiles.locate().migrations)
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            try Connection.withConnection(manager) { connection in
                if status {
                    for state in try migrator.status(connection) {
                        let when = state.appliedAt.map { " \($0)" } ?? ""
                        print("\(state.kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(state.migration.file.lastPathComponent)\(when)")
                    }
                    return
                }
                let applied = try migrator.migrate(connection)
                print(applied.isEmpty ? "migrations are current" : applied.map { "applied \($0.file.lastPathComponent)" }.joined(separator: "\n"))
            }
        }
    }
}
