import ArgumentParser
import MTPPipeline

/// `mtp-etl db stop`: shuts the embedded database down cleanly.
struct DbStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the embedded database cleanly.")

    func run() throws {
        try CommandEdge.run {
            try LocalDatabase.current.stop()
            print("stopped")
        }
    }
}
