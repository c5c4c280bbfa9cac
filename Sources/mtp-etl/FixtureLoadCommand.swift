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
        discussion: "Every file is checked first: an unknown table or column refuses the load and nothing is loaded.")

    @Argument(help: "The state directory.", completion: .directory)
    var directory: String

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let root = URL(fileURLWithPath: directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw PipelineError(.refused, "\(directory): no such directory")
            }
            let configuration = try databases.resolve()
            let loader = FixtureLoader()
            try Connection.withConnection(configuration.manager) { manager in
                try Connection.withConnection(configuration.central) { central in
                    try loader.check(root, system: .manager, connection: manager)
                    try loader.check(root, system: .central, connection: central)
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
