import ArgumentParser
import Foundation
import Logging
import MTPPipeline

/// `mtp-etl run`: the scheduled job, every stage in one command.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every stage: migrate, check, import-plans (the inbox), pull-central, build, report.",
        discussion: """
            One run at a time (an advisory lock in Manager: a second run exits 4 at once, naming the holder). A failed \
            stage stops the run with its exit code; the previous facts and workbook stay. SIGINT/SIGTERM roll back the \
            current stage and mark the run interrupted (exit 5). Every run is in the ledger: `mtp-etl runs`.
            """)

    @Option(help: "Planning inbox: its *.csv, *.txt and *.tsv files are imported (no inbox, no import).")
    var inbox: String?

    @OptionGroup var inboxFiles: InboxOptions

    @Option(help: "Directory of the workbook (made when missing).")
    var out = "out"

    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var pull: PullOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var dataAge: DataAgeOptions

    @OptionGroup var report: ReportOptions

    @Flag(help: "Print the run summary as one JSON document on standard output.")
    var json = false

    @Option(name: .customLong("on-failure"), help: ArgumentHelp("Shell command run with the run summary (JSON) on its standard input when the run fails, is interrupted or its data is stale (past --max-data-age).", valueName: "command"))
    var onFailure: String?

    @Option(name: .customLong("metrics-file"), help: ArgumentHelp("Write Prometheus metrics of the run here after it ends, however it ends (default: $MTP_METRICS_DIR/mtp_etl_run.prom when MTP_METRICS_DIR is set).", valueName: "path"))
    var metricsFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (log lines when not on a terminal).")
    var logLevel: String?

    @OptionGroup var databases: DatabaseOptions

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level \(logLevel): use trace, debug, info, notice, warning, error or critical")
        }
        if let inbox {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: inbox, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--inbox \(inbox) is not a directory")
            }
            try inboxFiles.refuseRepliesInto([inbox])
        }
    }

    func run() throws {
        let onTerminal = isatty(STDERR_FILENO) == 1
        // On a terminal the live lines say it all; otherwise (cron, CI) timestamped log lines do.
        CommandEdge.bootstrapLogging(level: logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (onTerminal ? .warning : .info))
        let metrics = metricsFile.map { URL(fileURLWithPath: $0) } ?? RunMetrics.defaultFile(named: "mtp_etl_run")
        let started = Date()
        var manager: String?
        var summary: RunSummary
        do {
            summary = try startAndRun(onTerminal: onTerminal) { manager = $0.manager }
        } catch {
            // The run could not start (a database not reachable, an output directory it cannot write): as any
            // failure, it is told, recorded where the ledger answers, and alerted.
            CommandEdge.printError("mtp-etl: \(error)", level: .error)
            summary = .failedBeforeStart(startedAt: started, error: error)
            if let manager {
                summary.runID = ScheduledRun.recordFailedStart(summary, manager: manager, inbox: inbox.map { URL(fileURLWithPath: $0) }, asOf: asOf.date)
            }
        }
        CommandEdge.printError(RunOutput.closing(summary), level: summary.exitCode == 0 ? .info : .error)
        if json { FileHandle.standardOutput.write(summary.json() + Data("\n".utf8)) }
        if let metrics { Self.writeMetrics(summary, to: metrics, manager: manager) }
        if let onFailure, summary.outcome == .failed || summary.outcome == .interrupted || summary.stale {
            do {
                let alert = try RunAlert.send(onFailure, summary: summary)
                if alert != 0 { CommandEdge.printError("mtp-etl: --on-failure command exited \(alert)", level: .error) }
            } catch {
                CommandEdge.printError("mtp-etl: --on-failure command could not run: \(error)", level: .error)
            }
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// Resolves the databases (telling `resolved` which), prepares the output and runs every stage; throws only
    /// when the run cannot start.
    private func startAndRun(onTerminal: Bool, resolved: (DatabaseConfiguration) -> Void) throws -> RunSummary {
        let configuration = try DatabaseConfiguration.resolve(manager: databases.manager, central: databases.central)
        resolved(configuration)
        let options = ScheduledRun.Options(inbox: inbox.map { URL(fileURLWithPath: $0) }, planImport: inboxFiles.planImport(asOf: asOf),
                                           pull: pull.pullOptions, report: dataAge.applied(to: period.managementReport(out: out, report: report, asOf: asOf)))
        try ReportSession.prepareOutputDirectory(options.report.outputDirectory)    // before any work
        let progress = onTerminal ? RunProgress() : nil
        let run = ScheduledRun(configuration: configuration, files: try ProjectFiles.locate(), options: options,
                               observer: progress?.observer ?? .init())
        let signals = SignalWatch(signals: [SIGINT, SIGTERM]) { run.interrupt(signal: $0) }
        defer { signals.stop() }
        return run.run()
    }

    /// Writes the metrics file; a failure to write it is said, and does not change the run's exit status.
    static func writeMetrics(_ summary: RunSummary, to file: URL, manager: String?) {
        do {
            try RunMetrics.write(summary, to: file, manager: manager, files: try? ProjectFiles.locate())
        } catch {
            CommandEdge.printError("mtp-etl: \(error)", level: .error)
        }
    }
}
