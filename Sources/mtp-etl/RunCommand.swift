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

    @Option(help: "Leave inbox files modified less than this many seconds ago for the next run (they may still be being copied in); 0 disables.")
    var settle: Double = 60

    @Option(help: "Move successfully imported planning files here.")
    var archive: String?

    @Option(help: "Directory of the workbook (made when missing).")
    var out = "out"

    @OptionGroup var period: ReportPeriodOptions
    @OptionGroup var pull: PullOptions
    @OptionGroup var asOf: AsOfOption

    @OptionGroup var report: ReportOptions

    @Flag(help: "Print the run summary as one JSON document on standard output.")
    var json = false

    @Option(name: .customLong("on-failure"), help: ArgumentHelp("Shell command run with the run summary (JSON) on its standard input when the run fails or is interrupted.", valueName: "command"))
    var onFailure: String?

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
        }
    }

    func run() throws {
        let onTerminal = isatty(STDERR_FILENO) == 1
        // On a terminal the live lines say it all; otherwise (cron, CI) timestamped log lines do.
        CommandEdge.bootstrapLogging(level: logLevel.flatMap(Logger.Level.init(rawValue:)) ?? (onTerminal ? .warning : .info))
        var summary: RunSummary?
        try CommandEdge.run {
            let configuration = try DatabaseConfiguration.resolve(manager: databases.manager, central: databases.central)
            let options = ScheduledRun.Options(inbox: inbox.map { URL(fileURLWithPath: $0) }, archive: archive.map { URL(fileURLWithPath: $0) },
                                               out: URL(fileURLWithPath: out), timeZone: report.timeZone, reportDate: period.date,
                                               periodDays: period.periodDays, asOf: asOf.date, settleSeconds: settle,
                                               pullJobs: pull.jobs, maxReplicaLag: pull.maxReplicaLagSeconds)
            try ReportSession.prepareOutputDirectory(options.out)    // before any work
            let progress = onTerminal ? RunProgress() : nil
            let run = ScheduledRun(configuration: configuration, files: try ProjectFiles.locate(), options: options,
                                   observer: progress?.observer ?? .init())
            let signals = SignalWatch(signals: [SIGINT, SIGTERM]) { run.interrupt(signal: $0) }
            summary = run.run()
            signals.stop()
        }
        guard let summary else { return }
        CommandEdge.printError(RunOutput.closing(summary))
        if json { FileHandle.standardOutput.write(summary.json() + Data("\n".utf8)) }
        if let onFailure, summary.outcome == "failed" || summary.outcome == "interrupted" {
            do {
                let alert = try RunAlert.send(onFailure, summary: summary)
                if alert != 0 { CommandEdge.printError("mtp-etl: --on-failure command exited \(alert)") }
            } catch {
                CommandEdge.printError("mtp-etl: --on-failure command could not run: \(error)")
            }
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
