import Foundation
import Postgres
import Spreadsheet

/// The settings every report query runs under, inside the report's one transaction: ISO dates, the chosen time
/// zone (PostgreSQL renders time stamps in it and puts facts into days by it; headers name it), and the
/// report's date and periods as `mtp.*` settings (``ReportSettings``).
public struct ReportSession {
    /// The time zone of a report when none is given.
    public static let defaultTimeZone = "UTC"
    /// Days the detail sheets cover when not told: the last 28 days, as the Summary's own period.
    public static let defaultPeriodDays = 28
    /// The detail periods a report takes: a day to a hundred years.
    public static let periodDaysRange = 1...36_600

    /// Why `days` is no detail period.
    public static func periodDaysRefusal(_ days: Int) -> String {
        "--period-days \(days): give \(periodDaysRange.lowerBound) to \(periodDaysRange.upperBound) days"
    }

    /// The time zone, as PostgreSQL knows it (`UTC`, `Asia/Colombo`).
    var timeZone: String
    /// Days the detail sheets cover, up to the report date.
    var periodDays: Int
    /// The moment the report stands for (default: now); `today` is its day in the time zone.
    var asOf: Date?
    /// Data older than this (seconds) gets the Summary's stale warning.
    var warnDataAge: Double
    /// Data older than this (seconds) makes the workbook stale in its title; nil: never.
    var maxDataAge: Double?

    /// The age past which data is called stale when not told: a day (a daily report a day behind).
    public static let defaultWarnDataAge = 86_400.0

    /// A session showing times in `timeZone`, with detail periods of `periodDays` up to the day of `asOf` (now),
    /// calling data older than `warnDataAge` stale in its Summary and older than `maxDataAge` in its title.
    public init(timeZone: String, periodDays: Int = Self.defaultPeriodDays, asOf: Date? = nil,
                warnDataAge: Double = Self.defaultWarnDataAge, maxDataAge: Double? = nil) {
        self.warnDataAge = warnDataAge
        self.maxDataAge = maxDataAge
        self.timeZone = timeZone
        self.periodDays = periodDays
        self.asOf = asOf
    }

    /// The words `--date` takes besides a date: today and yesterday in the time zone, or the day of the newest
    /// time stamp in the data.
    public static let relativeDates = ["today", "yesterday", "latest"]

    /// Applies the settings for the current transaction; refuses a time zone PostgreSQL does not know and a date
    /// that is not one. `date` is `YYYY-MM-DD`, `today` (the default), `yesterday` or `latest`.
    @discardableResult
    public func configure(_ connection: Connection, date: String?) throws -> ReportSettings {
        // JIT compilation costs seconds on these many short aggregations (the planner cannot estimate how many days
        // a time stamp falls into, so it thinks them big): measured at 2 of the 2.7 s of facts.report_day on a
        // million bags. Off for the report's transaction.
        try connection.execute("set local datestyle = 'ISO, YMD'; set local intervalstyle = 'iso_8601'; set local jit = off")
        do {
            try connection.query("select set_config('timezone', $1, true)", [timeZone])
        } catch let error as PostgresError where error.sqlState == "22023" {
            throw PipelineError(.refused, "unknown time zone \(timeZone): use a name such as UTC or Asia/Colombo")
        }
        let spec = date ?? "today"
        let reportDate: String
        switch spec {
        case "today", "yesterday":
            reportDate = try connection.query("select (coalesce($1, now())::date - $2::int)::text", [asOf, spec == "today" ? 0 : 1])
                .first!.decode(String.self, 0)
        case "latest":
            try FactsBuild.requireFacts(connection)
            guard let latest = try connection.query("select data_as_of::date::text from facts.build").first?.decode(String?.self, 0) else {
                throw PipelineError(.refused, "--date latest: the facts hold no time stamp yet")
            }
            reportDate = latest
        default:
            guard spec.count == 10, let parsed = try? connection.query("select $1::date::text", [spec]).first?.decode(String.self, 0) else {
                throw PipelineError(.refused, "report date \(spec) is not a date (YYYY-MM-DD, today, yesterday or latest)")
            }
            reportDate = parsed
        }
        guard Self.periodDaysRange.contains(periodDays) else {
            throw PipelineError(.refused, Self.periodDaysRefusal(periodDays))
        }
        // Every period a report names, computed once here: the day, the ISO week (Monday first) and the month to
        // date, the last 28 days and the 28 before them, the detail sheets' period and the 12 weeks of trends.
        let row = try connection.query("""
            select d::text, $3::text, $2::text,
                   (d - ($2::int - 1))::text, date_trunc('week', d)::date::text, date_trunc('month', d)::date::text,
                   (d - 27)::text, (d - 55)::text, (d - 28)::text, (date_trunc('week', d)::date - 77)::text,
                   to_char(d, 'FMDay FMDD FMMonth YYYY')
              from (select $1::date as d) x
            """, [reportDate, String(periodDays), timeZone]).first!
        var settings = ReportSettings()
        for (index, name) in ["report_date", "timezone", "period_days", "period_start", "week_start", "month_start",
                              "last28_start", "previous_start", "previous_end", "trend_start", "report_day"].enumerated() {
            settings[name] = try row.decode(String.self, index)
        }
        if try connection.query("select to_regclass('facts.build') is not null").first!.decode(Bool.self, 0) {
            let build = try connection.query("""
                select coalesce(to_char(data_as_of, 'YYYY-MM-DD HH24:MI'), '-'), pull_id::text,
                       to_char(snapshot_at, 'YYYY-MM-DD HH24:MI') from facts.build
                """).first
            settings["data_as_of"] = try build?.decode(String.self, 0) ?? "-"
            settings["snapshot"] = try build?.decode(String.self, 1) ?? "-"
            settings["snapshot_at"] = try build?.decode(String.self, 2) ?? "-"
        }
        // How old the data is against the report's moment, said on the Summary; a warning past warnDataAge, and
        // the title says stale past maxDataAge.
        if let age = try DataAge.read(connection, at: asOf ?? Date()) {
            settings["data_age"] = age.statement
            settings["stale_warning"] = age.warning(after: warnDataAge) ?? ""
            let stale = maxDataAge.map { limit in age.seconds.map { $0 > limit } ?? true } ?? false
            settings["stale"] = stale ? "true" : "false"
            settings["stale_title"] = stale ? "STALE DATA · " : ""
            settings["data_age_seconds"] = age.seconds.map { String(Int($0)) } ?? ""
        } else {
            settings["data_age"] = "-"
            settings["stale_warning"] = ""
            settings["stale"] = "false"
            settings["stale_title"] = ""
            settings["data_age_seconds"] = ""
        }
        try apply(settings, connection)
        return settings
    }

    /// Sets each of `settings` as `mtp.<name>` for the current transaction.
    public func apply(_ settings: ReportSettings, _ connection: Connection) throws {
        for (name, value) in settings.values.sorted(by: { $0.key < $1.key }) {
            try connection.query("select set_config('mtp.' || $1, $2, true)", [name, value])
        }
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
