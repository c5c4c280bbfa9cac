import Foundation

/// How `import-plans` reads and applies planning files.
public struct PlanImportOptions: Sendable {
    /// The delimiter; nil detects it among `,` `;` tab `|`.
    public var delimiter: UInt8?
    /// The files' encoding.
    public var encoding: InputEncoding
    /// How numeric dates are read.
    public var dateOrder: DateOrder
    /// The largest share of rejected rows a file may have and still be imported (0...1).
    public var maxRejectRate: Double
    /// Re-imports files whose sha256 was already imported.
    public var force: Bool
    /// Where successfully imported files are moved; nil leaves them.
    public var archive: URL?
    /// The moment the files count as received, when not their import (`--as-of`: loading a history of files,
    /// replaying a day); reports date rejected rows by it.
    public var receivedAt: Date?

    /// Options with the command's defaults.
    public init(delimiter: UInt8? = nil, encoding: InputEncoding = .utf8, dateOrder: DateOrder = .dmy,
                maxRejectRate: Double = 0.5, force: Bool = false, archive: URL? = nil, receivedAt: Date? = nil) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.dateOrder = dateOrder
        self.maxRejectRate = maxRejectRate
        self.force = force
        self.archive = archive
        self.receivedAt = receivedAt
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

    enum CodingKeys: String, CodingKey {
        case file, status, importID = "import_id", rowsRead = "rows_read", imported, inserted, updated, rejected, skipped,
             rejects, message, archivedTo = "archived_to"
    }
}
