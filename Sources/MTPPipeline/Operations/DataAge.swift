import Foundation
import Postgres

/// How old the facts' data is against a moment (a run's, a report's): the newest bag scanned, batch output made
/// and dispatch (`facts.build`), so that a workbook and the run ledger say it, and stale data never looks fresh.
public struct DataAge: Sendable, Equatable {
    /// The newest tealine, herbline or blendbalance bag scanned in.
    public var lastBagAt: Date?
    /// The newest blend bag a batch made.
    public var lastOutputAt: Date?
    /// The newest dispatch (Manager's events).
    public var lastDispatchAt: Date?
    /// The same three in the session's time zone, `YYYY-MM-DD HH24:MI` (nil when there is none).
    public var shown: [String?]
    /// The moment the age is taken at.
    public var reference: Date

    /// How long before `reference` Central's newest scan was (a bag or a batch's output): what makes data stale,
    /// since Manager's dispatches are read live. Nil when the facts hold no scan at all.
    public var seconds: Double? {
        [lastBagAt, lastOutputAt].compactMap { $0 }.max().map { reference.timeIntervalSince($0) }
    }

    /// The ages of the built facts, against `reference`; nil before any build.
    public static func read(_ connection: Connection, at reference: Date) throws -> DataAge? {
        guard try connection.query("select to_regclass('facts.build') is not null").first!.decode(Bool.self, 0),
              try connection.query("""
                select 1 from information_schema.columns where table_schema = 'facts' and table_name = 'build' and column_name = 'last_bag_at'
                """).count > 0 else { return nil }
        guard let row = try connection.query("""
            select extract(epoch from last_bag_at)::float8, extract(epoch from last_output_at)::float8, extract(epoch from last_dispatch_at)::float8,
                   to_char(last_bag_at, 'YYYY-MM-DD HH24:MI'), to_char(last_output_at, 'YYYY-MM-DD HH24:MI'), to_char(last_dispatch_at, 'YYYY-MM-DD HH24:MI')
              from facts.build
            """).first else { return nil }
        func date(_ index: Int) throws -> Date? { try row.decode(Double?.self, index).map { Date(timeIntervalSince1970: $0) } }
        return DataAge(lastBagAt: try date(0), lastOutputAt: try date(1), lastDispatchAt: try date(2),
                       shown: [try row.decode(String?.self, 3), try row.decode(String?.self, 4), try row.decode(String?.self, 5)],
                       reference: reference)
    }

    /// One line: `last bag scanned 2026-11-13 17:05 (85 min before the report's time), last batch output ...`.
    public var statement: String {
        let parts = zip(["last bag scanned", "last batch output", "last dispatch"], zip([lastBagAt, lastOutputAt, lastDispatchAt], shown))
            .map { label, value -> String in
                guard let at = value.0, let text = value.1 else { return "\(label): none" }
                let age = reference.timeIntervalSince(at)
                return "\(label) \(text) (" + (age >= 0 ? "\(Self.roughly(age)) before" : "\(Self.roughly(-age)) after") + " the report's time)"
            }
        return parts.joined(separator: ", ")
    }

    /// An age as a reader says it, to the minute within two hours, the hour within two days, else in days: the
    /// line changes as rarely as its meaning does (the same data at another hour of the same day reads the same).
    public static func roughly(_ seconds: Double) -> String {
        let minutes = Int((seconds / 60).rounded(.down))
        if minutes < 120 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h" }
        return "\(minutes / 1440) days"
    }

    /// The warning a reader cannot miss when the newest scan is older than `limit` seconds; nil when it is not.
    public func warning(after limit: Double) -> String? {
        guard let seconds else { return "stale: the data holds no bag scanned and no batch output at all" }
        guard seconds > limit else { return nil }
        let newest = (lastBagAt ?? .distantPast) >= (lastOutputAt ?? .distantPast) ? ("bag was scanned", shown[0]) : ("batch output was made", shown[1])
        return "stale: the last \(newest.0) \(Self.roughly(seconds)) ago (\(newest.1 ?? "-")); nothing newer came from Central,"
            + " so every figure of this workbook stops there"
    }
}
