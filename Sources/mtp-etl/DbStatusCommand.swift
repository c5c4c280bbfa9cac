import ArgumentParser
import MTPPipeline

/// `mtp-etl db status`: whether the embedded database runs, and its URLs.
struct DbStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Say whether the embedded database runs and print its URLs; exits 3 when it does not run.")

    func run() throws {
        try CommandEdge.run {
            let running = try Self.printStatus(LocalDatabase.current)
            if !running { throw ExitCode(ExitStatus.operational.rawValue) }
        }
    }

    /// Prints the state and, when running, each database's URLs; returns whether it runs.
    @discardableResult
    static func printStatus(_ local: LocalDatabase) throws -> Bool {
        let status = try local.status()
        let place = "cluster in \(status.directory)" + (status.placedOutsideBecause.map { " (outside the checkout: \($0))" } ?? "")
        guard status.running else {
            print("not running (start it with: mtp-etl db start); \(place)")
            return false
        }
        print("running on 127.0.0.1:\(status.port ?? 0) and a Unix socket in \(local.root.path)/run; log \(status.logFile)")
        print(place)
        print("access: \(status.access)")
        for database in LocalDatabase.databases {
            print("\(database): \(try local.tcpURL(database: database))")
            print("\(database) (socket): \(try local.socketConninfo(database: database))")
        }
        return true
    }
}
