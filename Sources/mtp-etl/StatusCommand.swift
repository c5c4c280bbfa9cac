import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl status`: the pipeline's health for a monitoring system, as its plugins report it.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Say whether the pipeline is healthy: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (monitoring plugin codes).",
        discussion: """
            One line, as Nagios, Icinga or a systemd timer expect, with performance data after '|'. CRITICAL when the \
            last finished run failed, no run ever succeeded, or the last success or the data is older than its critical \
            age; WARNING when the last run was interrupted or abandoned or refused a planning file, an age passes its \
            warning threshold, or nothing has run or been built yet; UNKNOWN when Manager cannot be asked.
            """)

    @Option(name: .customLong("warn-age"), help: ArgumentHelp("Warn when the last successful run ended longer ago than this.", valueName: "duration"))
    var warnAge = "26h"

    @Option(name: .customLong("crit-age"), help: ArgumentHelp("Critical when the last successful run ended longer ago than this.", valueName: "duration"))
    var critAge = "50h"

    @Option(name: .customLong("warn-data-age"), help: ArgumentHelp("Warn when the newest data (bag scanned, batch output, dispatch) is older than this.", valueName: "duration"))
    var warnDataAge = "36h"

    @Option(name: .customLong("crit-data-age"), help: ArgumentHelp("Critical when the newest data is older than this.", valueName: "duration"))
    var critDataAge = "72h"

    @Flag(help: "Print the state as one JSON document instead of the line.")
    var json = false

    @OptionGroup var databases: DatabaseOptions

    func validate() throws {
        for (name, value) in [("--warn-age", warnAge), ("--crit-age", critAge), ("--warn-data-age", warnDataAge), ("--crit-data-age", critDataAge)]
        where DurationText.parse(value) == nil {
            throw ValidationError("\(name) \(value): write a duration such as 90min, 26h or 3d")
        }
    }

    var thresholds: RunHealth.Thresholds {
        var thresholds = RunHealth.Thresholds()
        thresholds.warnAge = DurationText.parse(warnAge)!
        thresholds.critAge = DurationText.parse(critAge)!
        thresholds.warnDataAge = DurationText.parse(warnDataAge)!
        thresholds.critDataAge = DurationText.parse(critDataAge)!
        return thresholds
    }

    func run() throws {
        let health: RunHealth
        do {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let files = try ProjectFiles.locate()
            let figures = try Connection.withConnection(manager, applicationName: "mtp-etl status") { connection in
                guard try connection.query("select to_regclass('mtp.run') is not null").first!.decode(Bool.self, 0) else {
                    throw PipelineError(.operational, "Manager has no run ledger yet (run mtp-etl migrate, or the first mtp-etl run)")
                }
                return try MonitoringFigures.read(connection, files: files)
            }
            health = RunHealth.assess(figures, thresholds: thresholds)
        } catch {
            health = RunHealth.unknown("cannot read the run ledger: \(error)", thresholds: thresholds)
        }
        if json {
            FileHandle.standardOutput.write(health.json() + Data("\n".utf8))
        } else {
            print(health.summaryLine)
        }
        throw ExitCode(health.state.rawValue)
    }
}
