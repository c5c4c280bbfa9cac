import Foundation
import Postgres
import Spreadsheet

/// `mtp-etl report`: the management workbook `mtp-report-YYYY-MM-DD.xlsx`, one sheet per definition of
/// `reports/management/`, all read in one read-only transaction so the sheets agree with each other.
public struct ManagementReport: Sendable {
    /// Where and how to write.
    public struct Options: Sendable {
        /// The directory the workbook goes to (made when missing).
        public var outputDirectory: URL
        /// The time zone time stamps are shown in.
        public var timeZone: String
        /// The report's date: `YYYY-MM-DD`, `today` (the default), `yesterday` or `latest` (the data's newest day).
        public var date: String?
        /// Days the detail sheets cover, up to the report date (the Summary's periods are fixed).
        public var periodDays: Int
        /// The moment the report stands for, when not now: `today` is its day.
        public var asOf: Date?
        /// Rows per sheet before a continuation sheet (Excel's limit unless a test lowers it).
        public var rowLimit: UInt32
        /// Data older than this (seconds) gets the Summary's stale warning.
        public var warnDataAge: Double
        /// Data older than this (seconds) is stale: the title says so and the result does; nil: never.
        public var maxDataAge: Double?

        /// Options; everything but the directory has a default.
        public init(outputDirectory: URL, timeZone: String = ReportSession.defaultTimeZone, date: String? = nil,
                    periodDays: Int = ReportSession.defaultPeriodDays, asOf: Date? = nil,
                    rowLimit: UInt32 = TableSheet.excelRowLimit, warnDataAge: Double = ReportSession.defaultWarnDataAge,
                    maxDataAge: Double? = nil) {
            self.warnDataAge = warnDataAge
            self.maxDataAge = maxDataAge
            self.outputDirectory = outputDirectory
            self.timeZone = timeZone
            self.date = date
            self.periodDays = periodDays
            self.asOf = asOf
            self.rowLimit = rowLimit
        }
    }

    /// What was written.
    public struct Result: Sendable {
        /// The workbook.
        public var file: URL
        /// Rows per sheet, in order (a sheet continued on `<Name> (2)` counts all its rows).
        public var sheets: [(name: String, rows: Int)]
        /// Seconds taken.
        public var seconds: Double
        /// How long before the report's time Central's newest scan was (nil: no scan at all).
        public var dataAgeSeconds: Double?
        /// Whether the data is older than `maxDataAge` (the title says stale).
        public var stale: Bool
        /// The Summary's warning, when the data is older than `warnDataAge`.
        public var staleWarning: String?
        /// Why the workbook's memory (for the next one's Changes) could not be written; nil when it was.
        public var memoryError: String?
    }

    /// The project's files (for `reports/management`).
    public var files: ProjectFiles

    /// A report reading its definitions from `files`.
    public init(files: ProjectFiles) {
        self.files = files
    }

    /// Removes what a killed report left in `directory`: its half-written `.mtp-report-*.tmp` (a workbook appears
    /// by rename when whole). Only a report holding the pipeline's lock writes them, so none is being written now.
    static func removeAbandonedWorkbooks(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".mtp-report-") && name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Writes the workbook from the facts behind `connection`; the previous workbook of the day stays until the
    /// new one is complete.
    public func run(_ connection: Connection, options: Options, progress: @escaping (String, Int) -> Void = { _, _ in }) throws -> Result {
        let started = Date()
        try ReportSession.prepareOutputDirectory(options.outputDirectory)
        Self.removeAbandonedWorkbooks(in: options.outputDirectory)
        let directory = files.root.appendingPathComponent("reports/management")
        let definitions = try ReportDefinition.load(directory)
        let layout = try WorkbookLayout.load(directory)
        try FactsBuild.requireCurrentFacts(connection)
        let writer = ReportWriter(timeZone: options.timeZone, rowLimit: options.rowLimit)
        let session = ReportSession(timeZone: options.timeZone, periodDays: options.periodDays, asOf: options.asOf,
                                    warnDataAge: options.warnDataAge, maxDataAge: options.maxDataAge)
        var settings = ReportSettings()
        let result = try connection.withTransaction(TransactionOptions(isolation: .repeatableRead, readOnly: true)) { connection in
            settings = try session.configure(connection, date: options.date)
            try Self.chooseComparedReport(&settings, connection: connection)
            try session.apply(settings, connection)
            let file = options.outputDirectory.appendingPathComponent("mtp-report-\(settings["report_date"] ?? "").xlsx")
            settings["workbook_file"] = file.path
            let results = try writer.writeWorkbook(definitions, layout: layout, settings: settings, created: try Self.dataTime(connection),
                                                   to: file, connection: connection, progress: progress)
            return Result(file: file, sheets: results.map { ($0.sheet, $0.rows) }, seconds: Date().timeIntervalSince(started),
                          dataAgeSeconds: settings["data_age_seconds"].flatMap { Double($0) }, stale: settings["stale"] == "true",
                          staleWarning: settings["stale_warning"].flatMap { $0.isEmpty ? nil : $0 })
        }
        // The workbook is in place: remember what it showed, for the next one's Changes sheet. The run lock is
        // held, so the facts are the ones it read. Should this fail, the workbook stands (it is right), the
        // failure is said, and the next one compares with the workbook before, naming it.
        var written = result
        do {
            try connection.withTransaction { connection in
                try connection.execute("set local datestyle = 'ISO, YMD'")
                try connection.query("select set_config('timezone', $1, true)", [options.timeZone])
                try session.apply(settings, connection)
                try connection.execute(try SQLStatements.of("report", files: files).text("remember"))
            }
        } catch {
            written.memoryError = "\(error)"
        }
        return written
    }

    /// The workbook this one tells the changes since: the newest remembered one written for another day or
    /// other data (a workbook written again for the same day and build compares with the one before, as the
    /// first did). Sets `compared_report` and `compared_date` (`-` and no id for a first workbook).
    static func chooseComparedReport(_ settings: inout ReportSettings, connection: Connection) throws {
        let row = try connection.query("""
            select report_id::text, to_char(report_date, 'YYYY-MM-DD') from mtp.report_written
             where not (report_date = $1::date and build_id is not distinct from (select max(build_id) from mtp.fact_build))
             order by report_id desc limit 1
            """, [settings["report_date"] ?? ""]).first
        settings["compared_report"] = try row?.decode(String.self, 0) ?? ""
        settings["compared_date"] = try row?.decode(String.self, 1) ?? "none (this is the first)"
    }

    /// The workbook's `created` time: the data's own time (`facts.build.data_as_of`), not the clock, so that the
    /// same data gives a byte-identical file. Never zero (libxlsxwriter would take the clock).
    static func dataTime(_ connection: Connection) throws -> Date {
        let seconds = try connection.query("select extract(epoch from data_as_of)::float8 from facts.build").first?.decode(Double?.self, 0) ?? 0
        return Date(timeIntervalSince1970: max(seconds, 86_400))
    }
}
