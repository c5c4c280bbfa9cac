import Foundation
import MTPPipeline
import Postgres

/// Any directory of report definitions written as one workbook, in one read-only transaction: what the
/// management report does for `reports/management`, open to other sets (the xlsx benchmark uses it).
public struct WorkbookExport: Sendable {
    /// The definitions' directory.
    public var definitions: URL
    /// The time zone time stamps are shown in.
    public var timeZone: String
    /// Custom settings the queries read with `current_setting('mtp.<name>')`.
    public var settings: [String: String]

    /// An export of `definitions`.
    public init(definitions: URL, timeZone: String = ReportSession.defaultTimeZone, settings: [String: String] = [:]) {
        self.definitions = definitions
        self.timeZone = timeZone
        self.settings = settings
    }

    /// Writes the workbook `file`; returns the rows per sheet.
    public func write(to file: URL, connection: Connection) throws -> [(name: String, rows: Int)] {
        try ReportSession.prepareOutputDirectory(file.deletingLastPathComponent())
        let loaded = try ReportDefinition.load(definitions)
        let writer = ReportWriter(timeZone: timeZone)
        return try connection.withTransaction(TransactionOptions(isolation: .repeatableRead, readOnly: true)) { connection in
            let session = ReportSession(timeZone: timeZone)
            var all = try session.configure(connection, date: nil)
            for (name, value) in settings { all[name] = value }
            try session.apply(all, connection)
            return try writer.writeWorkbook(loaded, layout: try WorkbookLayout.load(definitions), settings: all, created: nil,
                                            to: file, connection: connection).map { ($0.sheet, $0.rows) }
        }
    }
}
