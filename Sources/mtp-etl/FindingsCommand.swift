import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl findings`: the reconciliation findings across builds, each with when it was first seen, last seen,
/// resolved and reopened (`mtp.finding_history`).
struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List the reconciliation findings across builds: first seen, last seen, resolved, reopened, days open.")

    @Flag(help: "Only the findings open now.")
    var open = false

    @Flag(help: "Only those first seen or reopened: by the latest build, or on or after --since.")
    var new = false

    @Flag(help: "Only those resolved: by the latest build, or on or after --since.")
    var resolved = false

    @Option(help: "Only those whose change (first seen or reopened, resolved) is on or after this day (YYYY-MM-DD, in --timezone).")
    var since: String?

    @Option(help: "table, csv or json (default: a table on a terminal, else csv).")
    var format: TraceCommand.Format?

    @OptionGroup var report: ReportOptions

    @OptionGroup var databases: DatabaseOptions

    var selection: FindingHistoryQuery.Selection {
        open ? .open : new ? .new : resolved ? .resolved : .all
    }

    func validate() throws {
        guard [open, new, resolved].filter({ $0 }).count <= 1 else {
            throw ValidationError("--open, --new and --resolved choose one list: give at most one of them")
        }
        if let since, !ReportPeriodOptions.isCalendarDate(since) {
            throw ValidationError("--since \(since) is not a day of the calendar (YYYY-MM-DD)")
        }
        if format == .dot { throw ValidationError("--format dot is for a trace's genealogy: use table, csv or json") }
    }

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let table = try Connection.withConnection(manager, applicationName: "mtp-etl findings") { connection in
                try connection.query("select set_config('timezone', $1, false)", [report.timeZone])
                return try FindingHistoryQuery().run(selection, since: since, connection: connection)
            }
            let chosen = format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .csv)
            FileHandle.standardOutput.write(Data(TraceOutput.render(table, as: chosen.rawValue).utf8))
        }
    }
}
