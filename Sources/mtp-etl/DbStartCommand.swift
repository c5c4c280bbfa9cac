import ArgumentParser
import MTPPipeline

/// `mtp-etl db start`: creates the cluster if needed and starts it; does nothing when it runs.
struct DbStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start the embedded database (idempotent; waits until it accepts connections).")

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            try local.start()
            try DbStatusCommand.printStatus(local)
        }
    }
}
