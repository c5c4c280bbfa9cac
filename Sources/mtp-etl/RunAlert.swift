import Foundation
import MTPPipeline

/// `--on-failure CMD`: the command runs through `/bin/sh -c` with the run summary (JSON) on its standard input.
enum RunAlert {
    /// Runs the command and returns its exit status.
    static func send(_ command: String, summary: RunSummary) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(summary.json())
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
