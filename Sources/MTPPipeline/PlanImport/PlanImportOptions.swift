import Foundation

/// How `import-plans` reads and applies planning files.
public struct PlanImportOptions: Sendable {
    /// The delimiter; nil detects it among `,` `;` tab `|`.
    public var delimiter: UInt8?
    /// The files' encoding; nil: what a byte-order mark says (UTF-8 or UTF-16), else UTF-8.
    public var encoding: InputEncoding?
    /// How numeric dates are read.
    public var dateOrder: DateOrder
    /// The decimal mark of numbers; nil: `,` in a semicolon-delimited file (a comma-decimal locale's export),
    /// `.` otherwise.
    public var decimalMark: DecimalMark?
    /// The largest share of rejected rows a file may have and still be imported (0...1).
    public var maxRejectRate: Double
    /// Re-imports files whose sha256 was already imported.
    public var force: Bool
    /// Where successfully imported files are moved; nil leaves them.
    public var archive: URL?
    /// Where a reply goes for every file with rejected rows, and for every refused file (`--rejects-out`).
    public var rejectsOut: URL?
    /// The moment the files count as received, when not their import (`--as-of`: loading a history of files,
    /// replaying a day); reports date rejected rows by it.
    public var receivedAt: Date?
    /// A file in a folder modified less than this many seconds ago may still be being written: it is left for
    /// the next run (0: no wait). Files named one by one are imported at once.
    public var settleSeconds: Double

    /// The options when none is given: every default of `import-plans`, written once (here).
    public static let defaults = PlanImportOptions()

    /// Options with the command's defaults.
    public init(delimiter: UInt8? = nil, encoding: InputEncoding? = nil, dateOrder: DateOrder = .dmy, decimalMark: DecimalMark? = nil,
                maxRejectRate: Double = 0.5, force: Bool = false, archive: URL? = nil, receivedAt: Date? = nil, settleSeconds: Double = 60) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.dateOrder = dateOrder
        self.decimalMark = decimalMark
        self.maxRejectRate = maxRejectRate
        self.force = force
        self.archive = archive
        self.receivedAt = receivedAt
        self.settleSeconds = settleSeconds
    }
}

/// What happened to one planning file.
public struct PlanImportResult: Codable, Sendable {
    /// The file's fate.
    public enum Status: String, Codable, Sendable {
        /// Imported (possibly with rejected rows).
        case imported
        /// Already imported (same sha256); not imported again.
        case skipped
        /// Refused whole: nothing staged, nothing changed.
        case refused
        /// In a folder and modified moments ago (it may still be being written): left for the next run.
        case notSettled = "not_settled"
    }

    /// One rejected row.
    public struct Reject: Codable, Sendable, Equatable {
        /// The physical line where the row starts.
        public var line: Int
        /// Why it was rejected.
        public var reason: String

        /// A rejected row.
        public init(line: Int, reason: String) {
            self.line = line
            self.reason = reason
        }
    }

    /// The file as given.
    public var file: String
    /// Its fate.
    public var status: Status
    /// The import's id in `mtp.plan_import` (imported files only).
    public var importID: Int64?
    /// Data rows read.
    public var rowsRead = 0
    /// Rows of empty fields only (`,,,,`), skipped and counted, never rejected.
    public var blank = 0
    /// Lines above the header that were skipped (a report's title lines), as `first...last`.
    public var linesAboveHeader: ClosedRange<Int>?
    /// Distinct order codes accepted into `order_plan`.
    public var imported = 0
    /// Of which new plans.
    public var inserted = 0
    /// Of which revisions of existing plans.
    public var updated = 0
    /// Rows rejected.
    public var rejected = 0
    /// Identical repeats of a row, counted once.
    public var skipped = 0
    /// The rejected rows (the first 1,000; `mtp.plan_reject` keeps all of an imported file).
    public var rejects: [Reject] = []
    /// Why the file was refused or skipped.
    public var message: String?
    /// Where the file was archived.
    public var archivedTo: String?
    /// Why an imported file could not be moved to the archive (exit 3, although it was imported).
    public var archiveError: String?
    /// The reply written for the planner (`--rejects-out`).
    public var replyFile: String?
    /// Why the reply could not be written (exit 3, although the file was imported or refused as it says).
    public var replyError: String?
    /// For an inbox entry that is no planning file: what it is (`a FIFO`, `a directory`...).
    public var entryKind: String?

    /// `line 3` or `lines 1-3`.
    public static func describe(_ lines: ClosedRange<Int>) -> String {
        lines.count == 1 ? "line \(lines.lowerBound)" : "lines \(lines.lowerBound)-\(lines.upperBound)"
    }

    /// A file left in a folder because it was modified `age` seconds ago, less than `settle`.
    public static func notSettled(_ file: URL, age: Double, settle: Double) -> PlanImportResult {
        PlanImportResult(file: file.path, status: .notSettled,
                         message: "modified \(Int(age.rounded())) s ago, perhaps still being copied in; left for the next run (--settle \(Int(settle)) s)")
    }

    enum CodingKeys: String, CodingKey {
        case file, status, importID = "import_id", rowsRead = "rows_read", blank = "rows_blank", linesAboveHeader = "lines_above_header",
             imported, inserted, updated, rejected, skipped,
             rejects, message, archivedTo = "archived_to", archiveError = "archive_error", entryKind = "entry_kind",
             replyFile = "reply_file", replyError = "reply_error"
    }
}
