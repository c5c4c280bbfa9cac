import Foundation
import Postgres

/// The reply a planner gets for a planning file (`--rejects-out DIR`): its rejected rows exactly as they were
/// read, in the file's own encoding, delimiter and header, each with its physical line and why it was rejected,
/// so that the planner opens their own file, fixes the rows and drops it in again; for a refused file, a short
/// text saying why and what to do. Written whole under a temporary name and linked into place, so a reader
/// never sees half a reply and no reply (another file's, an earlier import's) is ever overwritten.
public enum PlanReplyFile {
    /// Rows read from the staging table at a time: the reply of a million-row file needs no more memory.
    static let page = 10_000

    /// Writes the reply for an import with rejected rows into `directory`: `<name>.rejects-<import>.<ext>`, or
    /// `<name>.rejects-refused.<ext>` for a file refused for too many of them (`refused`: read in the import's
    /// transaction before it rolls back, so the planner still gets the rows to fix).
    static func writeRejects(importID: Int64, file: URL, header: PlanHeader, encoding: InputEncoding, delimiter: UInt8,
                             connection: Connection, into directory: URL, refused: Bool = false) throws -> URL {
        let ext = file.pathExtension.isEmpty ? "csv" : file.pathExtension
        let stem = file.deletingPathExtension().lastPathComponent
        var bytes = Self.byteOrderMark(of: file, encoding: encoding)
        let separator = String(UnicodeScalar(delimiter))
        let columns = ["Line in \(file.lastPathComponent)"] + header.names + ["Why rejected"]
        bytes += try Self.encode(Self.line(columns, separator: separator), encoding)
        var after = 0
        while true {
            let rows = try connection.query("""
                select source_line, field_count, order_code, product_name, requirement, plan_start, plan_end, extra::text, reject_reason
                  from public.order_plan_raw
                 where import_id = $1 and reject_reason is not null and source_line > $2
                 order by source_line limit $3
                """, [importID, after, Self.page]).rows
            for row in rows {
                let line = try row.decode(Int.self, 0), count = try row.decode(Int.self, 1)
                var fields = [String](repeating: "", count: max(count, header.names.count))
                for (field, index) in zip(PlanField.allCases, 2...6) {
                    if let position = header.positions[field], position < count { fields[position] = try row.decode(String?.self, index) ?? "" }
                }
                if let extra = try row.decode(String?.self, 7),
                   let object = try JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [String: String] {
                    for position in header.extraPositions where position < count {
                        fields[position] = object[header.names[position]] ?? ""
                    }
                    for position in header.names.count..<max(count, header.names.count) {
                        fields[position] = object["#\(position + 1)"] ?? ""
                    }
                }
                // The reason goes after every column of the header, whatever the row held.
                let padded = fields + [String](repeating: "", count: max(0, header.names.count - fields.count))
                bytes += try Self.encode(Self.line([String(line)] + padded + [try row.decode(String.self, 8)], separator: separator), encoding)
                after = line
            }
            if rows.count < Self.page { break }
        }
        return try Self.place(bytes, named: "\(stem).rejects-\(refused ? "refused" : String(importID)).\(ext)", in: directory)
    }

    /// Writes the reply for a refused file into `directory`: `<name>.refused.txt` (then `-2`, `-3`...), in UTF-8.
    static func writeRefusal(file: URL, reason: String, into directory: URL) throws -> URL {
        let text = """
            \(file.lastPathComponent) was not imported: nothing of it went into the plans.

            Why: \(reason)

            What to do: fix the file (the reason names the line and column) and put it into the inbox again; \
            the next run imports it. A file that was still being copied is simply tried again.

            """
        return try Self.place(Array(text.utf8), named: "\(file.lastPathComponent).refused.txt", in: directory)
    }

    /// One CSV line: fields quoted where they hold the delimiter, a quote, or a line break; CRLF, as Excel writes.
    static func line(_ fields: [String], separator: String) -> String {
        fields.map { field in
            field.contains(separator) || field.contains("\"") || field.contains("\n") || field.contains("\r")
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: separator) + "\r\n"
    }

    /// `text` in the file's encoding (a character the encoding lacks, which only the ␀ that stands for a NUL
    /// byte can be, becomes `?`).
    static func encode(_ text: String, _ encoding: InputEncoding) throws -> [UInt8] {
        switch encoding {
        case .utf8:
            return Array(text.utf8)
        case .utf16le:
            return text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case .utf16be:
            return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .windows1252, .latin1:
            guard let data = text.data(using: encoding == .latin1 ? .isoLatin1 : .windowsCP1252, allowLossyConversion: true) else {
                throw PipelineError(.operational, "cannot write a reply in \(encoding.rawValue)")
            }
            return Array(data)
        }
    }

    /// The byte-order mark the planner's file began with (a UTF-16 file always has one), so that Excel reads
    /// the reply as it read the file.
    static func byteOrderMark(of file: URL, encoding: InputEncoding) -> [UInt8] {
        switch encoding {
        case .utf16le: return [0xFF, 0xFE]
        case .utf16be: return [0xFE, 0xFF]
        case .utf8:
            guard let handle = try? FileHandle(forReadingFrom: file) else { return [] }
            defer { try? handle.close() }
            let head = (try? handle.read(upToCount: 3)).map { Array($0) } ?? []
            return head == [0xEF, 0xBB, 0xBF] ? head : []
        case .windows1252, .latin1: return []
        }
    }

    /// Writes `bytes` to a new temporary file in `directory`, then links it to `name` (or `name` with `-2`,
    /// `-3`... before its extension, when that exists): link never replaces a file.
    static func place(_ bytes: [UInt8], named name: String, in directory: URL) throws -> URL {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw PipelineError(.operational, "cannot make the replies folder \(directory.path): \(FileKind.reason(error))")
        }
        let temporary = directory.appendingPathComponent(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PipelineError(.operational, "cannot write a reply in \(directory.path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary.path) }
        var written = 0
        let failure: Int32? = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 { if errno == EINTR { continue }; return errno }
                written += n
            }
            return fsync(descriptor) == 0 ? nil : errno
        }
        close(descriptor)
        if let failure { throw PipelineError(.operational, "cannot write a reply in \(directory.path): \(String(cString: strerror(failure)))") }
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        for attempt in 1...1_000 {
            let target = directory.appendingPathComponent(attempt == 1 ? name : "\(base)-\(attempt).\(ext)")
            if link(temporary.path, target.path) == 0 { return target }
            guard errno == EEXIST else {
                throw PipelineError(.operational, "cannot place the reply \(target.path): \(String(cString: strerror(errno)))")
            }
        }
        throw PipelineError(.operational, "cannot place the reply \(name) in \(directory.path): a thousand replies of that name exist")
    }
}
