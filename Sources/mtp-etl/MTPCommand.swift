import ArgumentParser
import Foundation
import MTPPipeline

/// The `mtp-etl` command: the MTP batch pipeline's stages and tools.
@main
struct MTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mtp-etl",
        abstract: "Batch ETL and reporting for the MTP tea factory: planning import, Central snapshot, traceability, reports.",
        discussion: """
            Exit codes: 0 all good; 1 rows were rejected but every file was imported; 2 input refused;
            3 operational error (database unreachable, permission, I/O); 4 another run holds the lock;
            5 interrupted by SIGINT or SIGTERM (the current stage rolled back). `status` exits as monitoring plugins do:
            0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
            """,
        subcommands: [
            DbCommand.self, FixtureCommand.self, MigrateCommand.self, CheckCommand.self, ImportPlansCommand.self,
            PullCentralCommand.self, SnapshotsCommand.self, BuildCommand.self, FindingsCommand.self, ReportCommand.self, TraceCommand.self, RunCommand.self,
            RunsCommand.self,
            StatusCommand.self,
            GenerateCommand.self, BenchCommand.self,
        ]
    )

    /// Parses and runs the command. An argument the parser refuses exits 2 (input refused), as every refusal
    /// found later does, instead of argument-parser's 64: one code for a refused argument, whichever check finds it.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.refused.rawValue)
            }
            exit(withError: error)
        }
    }
}
