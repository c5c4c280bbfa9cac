import ArgumentParser

/// `mtp-etl db`: the embedded local PostgreSQL under `.mtp/pg/`.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the embedded local PostgreSQL cluster under .mtp/ (databases manager and central).",
        discussion: "Run as root, the server runs as the postgres user; when that user cannot enter .mtp, the cluster lives in /var/lib/mtp-etl/clusters and .mtp/pg and .mtp/run point to it.",
        subcommands: [DbStartCommand.self, DbStopCommand.self, DbStatusCommand.self, DbURLCommand.self, DbRemoveCommand.self]
    )
}
