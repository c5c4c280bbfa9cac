import Foundation
import Postgres

/// The findings' memory across builds (`mtp.finding_history`), as `mtp-etl findings` lists it.
public struct FindingHistoryQuery: Sendable {
    /// Which findings to list.
    public enum Selection: String, Sendable, CaseIterable {
        /// Every finding ever seen.
        case all
        /// Those open now.
        case open
        /// Those first seen or reopened (by the latest build, or since a date).
        case new
        /// Those resolved (by the latest build, or since a date).
        case resolved
    }

    /// The columns, in order.
    public static let columns = ["check", "severity", "keys", "status", "message", "first_seen_at", "first_seen_build", "first_seen_snapshot",
                                 "last_seen_at", "last_seen_build", "resolved_at", "resolved_build", "reopened", "open_since", "days_open"]

    /// The project whose `sql/history` answers (nil: the one found from the working directory, `MTP_HOME` or the binary).
    public var files: ProjectFiles?

    /// A query of the project's `sql/history/list.sql`.
    public init(files: ProjectFiles? = nil) {
        self.files = files
    }

    /// The findings chosen, open first, then the longest open; `since` a day (`YYYY-MM-DD`) in the session's zone.
    public func run(_ selection: Selection, since: String?, connection: Connection) throws -> TraceTable {
        guard try connection.query("select to_regclass('mtp.finding_history') is not null").first!.decode(Bool.self, 0) else {
            throw PipelineError(.operational, "the findings' history is not there yet: run `mtp-etl migrate` and `mtp-etl build` first")
        }
        let sql = try SQLStatements.of("history", files: files).text("list")
        let rows = try connection.query(sql, [selection.rawValue, since]).rows.map { row in
            try Self.columns.indices.map { try row.decode(String?.self, $0) }
        }
        var table = TraceTable(columns: Self.columns, rows: rows, numericColumns: ["first_seen_build", "first_seen_snapshot", "last_seen_build",
                                                                                  "resolved_build", "reopened", "days_open"])
        table.question = "Findings: \(selection.rawValue)" + (since.map { " since \($0)" } ?? "")
        return table
    }
}
