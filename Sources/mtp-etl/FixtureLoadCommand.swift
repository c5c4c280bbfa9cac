import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres

/// `mtp-etl fixture load DIR`: restores a saved state of both systems from CSV files.
struct FixtureLoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load DIR/manager/<table>.csv and DIR/central/<table>.csv (header row names the columns) as a state restore.",
        discussion: """
            Every file is checked first: an unknown table or column refuses the load and nothing is loaded. The load goes to \
            --manager and --central, else the embedded databases: never to MTP_MANAGER_URL or MTP_CENTRAL_URL (a scheduler's \
            databases). A database holding the pipeline's schemas or rows in its source tables is refused unless --replace.
            """)

    @Argument(help: "The state directory.", completion: .directory)
    var directory: String

    @Flag(help: "Replace what the databases hold: empty the loaded tables of a database that has the pipeline's schemas or rows.")
    var replace = false

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let root = URL(fileURLWithPath: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw PipelineError(.refused, "\(directory): no such directory")
            }
            // Only what the command line names, else the embedded databases: never the configured ones.
            let configuration = try DatabaseConfiguration.resolve(manager: databases.manager, central: databases.central, environment: [:])
            let loader = FixtureLoader()
            try Connection.withConnection(configuration.manager) { manager in
                try Connection.withConnection(configuration.central) { central in
                    try loader.check(root, system: .manager, connection: manager)
                    try loader.check(root, system: .central, connection: central)
                    if !replace {
                        for (system, connection) in [(SourceSystem.manager, manager), (.central, central)] {
                            let occupied = try loader.occupation(system: system, connection: connection)
                            guard occupied.isEmpty else {
                                throw PipelineError(.refused, """
                                    fixture load refused, nothing loaded: \(system.rawValue) (\(connection.endpoint)) is not empty: \
                                    \(occupied.prefix(5).joined(separator: "; "))\(occupied.count > 5 ? "; ..." : ""); give --replace to replace its rows
                                    """)
                            }
                        }
                    }
                    for (system, connection) in [(SourceSystem.manager, manager), (.central, central)] {
                        for load in try loader.load(from: root, system: system, into: connection) {
                            print("\(system.rawValue): \(load.table): \(load.rows) rows")
                        }
                    }
                }
            }
        }
    }
}
