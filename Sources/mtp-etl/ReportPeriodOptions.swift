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
        if let date, !ReportSession.relativeDates.contains(date), !Self.isCalendarDate(date) {
            throw ValidationError("--date \(date): give a real day as YYYY-MM-DD, or \(ReportSession.relativeDates.joined(separator: ", "))")
        }
        guard ReportSession.periodDaysRange.contains(periodDays) else { throw ValidationError(ReportSession.periodDaysRefusal(periodDays)) }
    }

    /// The management workbook's options, as `report` and `run` both take them: into `out`, in the time zone of
    /// `report`, standing for the moment of `asOf`.
    func managementReport(out: String, report: ReportOptions, asOf: AsOfOption) -> ManagementReport.Options {
        ManagementReport.Options(outputDirectory: URL(fileURLWithPath: out), timeZone: report.timeZone, date: date,
                                 periodDays: periodDays, asOf: asOf.date)
    }

    /// Whether `text` is a day of the calendar written YYYY-MM-DD (2026-02-30 and 2026-13-45 are not).
    static func isCalendarDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts.map(\.count) == [4, 2, 2],
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == year && back.month == month && back.day == day
    }
}
