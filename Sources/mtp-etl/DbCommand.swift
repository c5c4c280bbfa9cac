import ArgumentParser

/// `mtp-etl db`: the embedded local PostgreSQL under `.mtp/pg/`.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded local PostgreSQL cluster under .mtp/pg/ (databases manager and central).",
        subcommands: [DbStartCommand.self, DbStopCommand.self, DbStatusCommand.self, DbURLCommand.self]
    )
}
