import ArgumentParser
import Foundation
import MTPPipeline

/// Which day a management workbook describes and how far back its detail sheets reach (`report` and `run`).
struct ReportPeriodOptions: ParsableArguments {
    @Option(help: "The day the workbook describes: YYYY-MM-DD, today, yesterday, or latest (the data's newest day). Default: today in the time zone.")
    var date: String?

    @Option(name: .customLong("period-days"), help: "Days up to the report date that the detail sheets list (open orders and batches are always listed).")
    var periodDays = ReportSession.defaultPeriodDays

    func validate() throws {
        if let date, !ReportSession.relativeDates.contains(date), date.count != 10 || date.filter({ $0 == "-" }).count != 2 {
            throw ValidationError("--date \(date): give YYYY-MM-DD, \(ReportSession.relativeDates.joined(separator: ", "))")
        }
        guard ReportSession.periodDaysRange.contains(periodDays) else { throw ValidationError(ReportSession.periodDaysRefusal(periodDays)) }
    }

    /// The management workbook's options, as `report` and `run` both take them: into `out`, in the time zone of
    /// `report`, standing for the moment of `asOf`.
    func managementReport(out: String, report: ReportOptions, asOf: AsOfOption) -> ManagementReport.Options {
        ManagementReport.Options(outputDirectory: URL(fileURLWithPath: out), timeZone: report.timeZone, date: date,
                                 periodDays: periodDays, asOf: asOf.date)
    }
}
