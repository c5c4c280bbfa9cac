import ArgumentParser
import MTPPipeline

/// `mtp-etl db remove`: stops the embedded database and deletes it, wherever it lives (`make clean`).
struct DbRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Stop the embedded database and delete it with its data, also when it lives outside the checkout.")

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            let directory = local.placement.path
            try local.remove()
            print("removed the embedded database (\(directory))")
        }
    }
}
