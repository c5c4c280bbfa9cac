import ArgumentParser
import MTPPipeline
import Postgres

/// `mtp-etl check`: verifies the schema contract with both systems and that migrations are current.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify that every source table and column the pipeline reads exists with a compatible type, and that migrations are current.")

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let configuration = try databases.resolve()
            let report = try PipelineCheck(files: try ProjectFiles.locate()).run(configuration)
            for notice in report.notices { print("notice: \(notice)") }
            for problem in report.problems { print("problem: \(problem)") }
            guard report.problems.isEmpty else {
                throw PipelineError(.operational, "check failed: \(report.problems.count) problem(s)")
            }
            print("check passed: manager (\(configuration.managerDescription)) and central (\(configuration.centralDescription)) meet the schema contract; migrations are current")
        }
    }
}
