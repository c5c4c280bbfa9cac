import Foundation

/// Runs the built `mtp-etl` binary, as a user or a scheduler would, and captures what it printed.
public struct CommandLineRun {
    /// The exit status.
    public var status: Int32
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String

    /// The debug binary `make test` builds.
    public static var binary: URL { TestServer.projectRoot.appendingPathComponent(".build/debug/mtp-etl") }

    /// Runs `mtp-etl arguments...` with extra environment variables, in the project directory (or `directory`);
    /// with `journal`, its standard error is announced as the journal's stream (`JOURNAL_STREAM`), as systemd does.
    public static func run(_ arguments: [String], environment: [String: String] = [:],
                           in directory: URL = TestServer.projectRoot, journal: Bool = false) throws -> CommandLineRun {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-cli-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-cli-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        if journal {
            var status = stat()
            guard stat(err.path, &status) == 0 else { throw CocoaError(.fileReadUnknown) }
            process.environment?["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)"
        }
        try process.run()
        process.waitUntilExit()
        return CommandLineRun(status: process.terminationStatus,
                              stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}

/// A command started in the background, for tests that act while it runs (signals, a second run).
public final class RunningCommand {
    /// The process.
    public let process: Process
    private let out: URL, err: URL

    /// Starts `mtp-etl arguments...`.
    public init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = CommandLineRun.binary
        process.arguments = arguments
        process.currentDirectoryURL = TestServer.projectRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        out = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-bg-\(UUID().uuidString).out")
        err = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-bg-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the end (at most `timeout` seconds, then kills it) and returns what it printed.
    public func wait(timeout: TimeInterval = 120) -> CommandLineRun {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return CommandLineRun(status: process.terminationStatus,
                              stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                              stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
