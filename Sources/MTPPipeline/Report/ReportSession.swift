import Foundation
import Postgres
import Spreadsheet

/// The settings every report query runs under, inside the report's one transaction: ISO dates and the chosen
/// time zone (PostgreSQL renders time stamps in it; headers name it), and the report's date as
/// `current_setting('mtp.report_date')`.
public struct ReportSession {
    /// The time zone, as PostgreSQL knows it (`UTC`, `Asia/Colombo`).
    var timeZone: String

    init(timeZone: String) {
        self.timeZone = timeZone
    }

    /// Applies the settings for the current transaction; refuses a time zone PostgreSQL does not know.
    /// Returns the report date: `date`, or today in the time zone.
    @discardableResult
    func configure(_ connection: Connection, date: String?) throws -> String {
        try connection.execute("set local datestyle = 'ISO, YMD'; set local intervalstyle = 'iso_8601'")
        do {
            try connection.query("select set_config('timezone', $1, true)", [timeZone])
        } catch let error as PostgresError where error.sqlState == "22023" {
            throw PipelineError(.refused, "unknown time zone \(timeZone): use a name such as UTC or Asia/Colombo")
        }
        let reportDate: String
        if let date {
            guard let parsed = try? connection.query("select $1::date::text", [date]).first?.decode(String.self, 0) else {
                throw PipelineError(.refused, "report date \(date) is not a date (YYYY-MM-DD)")
            }
            reportDate = parsed
        } else {
            reportDate = try connection.query("select current_date::text").first!.decode(String.self, 0)
        }
        try connection.query("select set_config('mtp.report_date', $1, true)", [reportDate])
        return reportDate
    }

    /// Makes `directory` if it is missing and refuses it when it cannot hold a workbook, before any work starts.
    public static func prepareOutputDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.operational, "output directory \(directory.path) cannot be made: \(error.localizedDescription)")
        }
        do {
            try Workbook.checkOutputDirectory(directory)
        } catch let error as SpreadsheetError {
            throw PipelineError(.operational, error.message)
        }
    }
}
