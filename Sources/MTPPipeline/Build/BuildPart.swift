import Foundation

/// One part of a build step (`-- part: NAME` in `sql/build`): the statements that write one fact table (or one
/// check's findings, or an index), which a full build runs in a transaction of its own, beside other parts on
/// other connections (``BuildPartGraph``, ``BuildLanes``).
///
/// What a part does to an object is read from its words: it creates, deletes from, updates, truncates, alters
/// or drops a table (writes), only inserts into it (appends), or names it otherwise (reads). An index built on a
/// table reads it: the rows are the same before and after, and readers run beside the build of an index (its
/// lock keeps only writers out).
public struct BuildPart: Sendable, Equatable {
    /// The step's file (`01_staging.sql`).
    public var file: String
    /// The part's name (`record`), or the file's without its extension when it has no parts.
    public var name: String
    /// Its statements, after the file's preamble.
    public var sql: String

    /// A part of `file` named `name`, with its statements.
    public init(file: String, name: String, sql: String) {
        self.file = file
        self.name = name
        self.sql = sql
    }

    /// `01_staging.sql/record`: the part's name in `facts.build_part`.
    public var key: String { "\(file)/\(name)" }

    /// `01_staging.sql part record`, as errors name it.
    public var description: String { "sql/build/\(file) part \(name)" }

    /// The text the part's dependencies are read from: its SQL without comments (strings and dollar-quoted
    /// bodies stay: a table named only in `ensure_index($$...$$)` or `analyze_when_full('...')` is used).
    var code: String {
        var out = "", inString = false
        var characters = sql.makeIterator()
        var pending: Character?
        while let c = pending ?? characters.next() {
            pending = nil
            if inString {
                out.append(c)
                if c == "'" { inString = false }
            } else if c == "'" {
                out.append(c)
                inString = true
            } else if c == "-" {
                let next = characters.next()
                if next == "-" {
                    while let skipped = characters.next(), skipped != "\n" {}
                    out.append("\n")
                } else {
                    out.append(c)
                    pending = next
                }
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// The code's words (identifiers and keywords, lowercased) and dots, in order: what the dependencies are
    /// read from.
    var words: [Substring] {
        var words: [Substring] = []
        let text = code.lowercased()[...]
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            if c.isLetter || c.isNumber || c == "_" {
                let start = index
                while index < text.endIndex, text[index].isLetter || text[index].isNumber || text[index] == "_" { index = text.index(after: index) }
                words.append(text[start..<index])
            } else {
                if c == "." { words.append(text[index...index]) }
                index = text.index(after: index)
            }
        }
        return words
    }

    /// The tables, views and functions this part creates (temporary tables are its own and not counted), and
    /// the part's use of each object it names.
    func uses() -> (created: Set<String>, uses: [String: Use]) {
        let words = self.words
        var created = Set<String>(), writes = [String: Int](), appends = [String: Int](), mentions = [String: Int]()
        func word(_ i: Int) -> Substring? { words.indices.contains(i) ? words[i] : nil }
        func matches(_ pattern: [Substring], endingBefore i: Int) -> Bool {
            i >= pattern.count && Array(words[(i - pattern.count)..<i]) == pattern
        }
        for (i, w) in words.enumerated() where w != "." && !Self.keywords.contains(w) {
            // The object's name, written after its schema or on its own.
            let start = word(i - 1) == "." ? i - 2 : i
            let name = String(w)
            mentions[name, default: 0] += 1
            let creating = Self.creating.contains { matches($0, endingBefore: start) }
            if creating { created.insert(name) }
            if matches(["insert", "into"], endingBefore: start) {
                appends[name, default: 0] += 1
            } else if creating || Self.writing.contains(where: { matches($0, endingBefore: start) }) {
                writes[name, default: 0] += 1
            }
        }
        var uses: [String: Use] = [:]
        for (name, count) in mentions {
            let appended = appends[name] ?? 0
            uses[name] = (writes[name] ?? 0) > 0 ? .writes : appended == count ? .appends : appended > 0 ? .writes : .reads
        }
        return (created, uses)
    }

    /// The words before an object's name that create it.
    private static let creating: [[Substring]] = ["table", "table if not exists", "function", "view"].flatMap { object in
        ["create", "create unlogged", "create or replace"].map { ($0 + " " + object).split(separator: " ") }
    }

    /// Words of the statements above that name no object (`create table if not exists`).
    private static let keywords: Set<Substring> = ["if", "not", "exists", "table", "only"]

    /// The words before a table's name that change it.
    private static let writing: [[Substring]] = ["delete from", "update", "truncate", "truncate table", "alter table", "drop table",
                                                 "drop table if exists"].map { $0.split(separator: " ") }

    /// How a part uses a table, a view or a function.
    enum Use: Equatable {
        /// It only reads it.
        case reads
        /// It only inserts rows into it: inserts commute, so parts that only append to a table run side by side.
        case appends
        /// It creates, changes or deletes from it (or reads it and appends).
        case writes
    }
}
