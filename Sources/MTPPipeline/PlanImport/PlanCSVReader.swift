import Foundation

/// One data record of a CSV file: the physical line it starts on and its fields as read.
public struct CSVRecord: Sendable {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// The fields, unquoted, in UTF-8.
    public var fields: [String]

    /// True for a line holding nothing but spaces.
    public var isBlank: Bool {
        fields.count == 1 && fields[0].allSatisfy { $0 == " " || $0 == "\t" }
    }
}

/// Streams the records of a planning CSV file, never holding the file whole.
///
/// RFC 4180 plus what real exports do: a UTF-8 byte-order mark, CRLF, LF or CR line ends, quoted fields
/// holding delimiters, doubled quotes and line breaks; blank lines are skipped. The delimiter is detected
/// among `,` `;` tab `|` from the first line unless given. Bytes are validated as UTF-8 or converted from a
/// single-byte encoding; a bad byte refuses the file with its line and byte offset.
public final class PlanCSVReader {
    /// The file being read.
    public let file: URL
    /// The encoding it is read in.
    public let encoding: InputEncoding
    /// The delimiter in use (given or detected).
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    /// The delimiters that detection chooses among, in order of preference on a tie.
    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    private let handle: FileHandle
    private var chunk: [UInt8] = []
    private var position = 0
    private var fileOffset = 0   // offset of chunk[0] in the file
    private var atEnd = false
    private var line = 1
    private var pendingCR = false
    private var validator = UTF8Validator()

    /// Opens `file`; `delimiter` nil means detect it from the first line.
    public init(file: URL, encoding: InputEncoding = .utf8, delimiter: UInt8? = nil) throws {
        self.file = file
        self.encoding = encoding
        do {
            handle = try FileHandle(forReadingFrom: file)
        } catch {
            throw PipelineError(.refused, "\(file.path): cannot be read: \(error.localizedDescription)")
        }
        try refill()
        if encoding == .utf8, chunk.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        self.delimiter = try delimiter ?? detectDelimiter()
    }

    deinit { try? handle.close() }

    private func refill() throws {
        fileOffset += chunk.count
        chunk = try handle.read(upToCount: 1 << 20).map { [UInt8]($0) } ?? []
        position = 0
        atEnd = chunk.isEmpty
    }

    /// Counts each candidate outside quotes on the first non-blank line; the most frequent wins (`,` if none).
    private func detectDelimiter() throws -> UInt8 {
        var counts = [UInt8: Int]()
        var quoted = false
        var sawContent = false
        scan: for byte in chunk[position...] {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle(); sawContent = true
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if !quoted && sawContent { break scan }
            default:
                sawContent = true
                if !quoted, Self.candidateDelimiters.contains(byte) { counts[byte, default: 0] += 1 }
            }
        }
        var best = UInt8(ascii: ",")
        for candidate in Self.candidateDelimiters where counts[candidate, default: 0] > counts[best, default: 0] {
            best = candidate
        }
        return best
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The next non-blank record, or nil at the end of the file.
    public func next() throws -> CSVRecord? {
        if !pendingCR, encoding != .utf8 || validator.isComplete, let record = nextPlainRecord() {
            return record
        }
        return try nextRecord()
    }

    /// The common case, fast: a whole record of plain ASCII (no quote, no carriage return) inside the current
    /// chunk, split on the delimiter from a local view of the bytes. Anything else is left to ``nextRecord()``.
    private func nextPlainRecord() -> CSVRecord? {
        let start = position, delimiter = delimiter
        let fields: [String]? = chunk.withUnsafeBufferPointer { bytes in
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == 0x0A { break }
                if byte >= 0x80 || byte == 0x22 || byte == 0x0D { return nil }
                end += 1
            }
            guard end < bytes.count, end > start else { return nil }   // no line end in this chunk, or a blank line
            var fields: [String] = []
            fields.reserveCapacity(8)
            var fieldStart = start
            for index in start..<end where bytes[index] == delimiter {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<index]), as: UTF8.self))
                fieldStart = index + 1
            }
            fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[fieldStart..<end]), as: UTF8.self))
            position = end + 1
            return fields
        }
        guard let fields else { return nil }
        let record = CSVRecord(line: line, fields: fields)
        line += 1
        return record
    }

    /// Any record: quotes, line breaks inside quotes, CR line ends, non-ASCII bytes, records across chunks.
    private func nextRecord() throws -> CSVRecord? {
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(64)
        var state = State.fieldStart
        var startLine = line
        var quoteLine = line
        var recordHasContent = false

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }

        while true {
            if position >= chunk.count {
                try refill()
                if atEnd { break }
            }
            let byte = chunk[position]
            let offset = fileOffset + position
            position += 1
            if byte < 0x80, encoding == .utf8, !validator.isComplete, !validator.accept(byte, at: offset) {
                throw PipelineError(.refused, """
                    \(file.path): line \(line): byte offset \(validator.sequenceStart): invalid UTF-8 (incomplete sequence); \
                    if the file was saved by Excel or an older system, import it with --encoding windows-1252 (or latin1)
                    """)
            }

            if byte == UInt8(ascii: "\n"), pendingCR {
                pendingCR = false
                if state == .quoted { field.append(byte) }
                continue
            }
            pendingCR = false

            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                pendingCR = byte == UInt8(ascii: "\r")
                line += 1
                if state == .quoted {
                    field.append(byte)
                    continue
                }
                if !recordHasContent && fields.isEmpty && field.isEmpty && state == .fieldStart {
                    startLine = line // a blank line: skip it
                    continue
                }
                endField()
                return CSVRecord(line: startLine, fields: fields)
            }

            if state == .fieldStart { recordHasContent = true }
            if byte >= 0x80 {
                if encoding == .utf8 {
                    guard validator.accept(byte, at: offset) else {
                        throw PipelineError(.refused, """
                            \(file.path): line \(line): byte offset \(offset): invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))); \
                            if the file was saved by Excel or an older system, import it with --encoding windows-1252 (or latin1)
                            """)
                    }
                    field.append(byte)
                } else {
                    InputEncoding.appendUTF8(encoding.scalar(for: byte), to: &field)
                }
                if state == .fieldStart { state = .unquoted }
                if state == .quoteInQuoted { state = .unquoted }
                continue
            }

            switch state {
            case .fieldStart:
                if byte == UInt8(ascii: "\"") {
                    state = .quoted
                    quoteLine = line
                } else if byte == delimiter {
                    endField()
                } else {
                    field.append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else {
                    field.append(byte)
                }
            case .quoted:
                if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else { field.append(byte) }
            case .quoteInQuoted:
                if byte == UInt8(ascii: "\"") {
                    field.append(byte)
                    state = .quoted
                } else if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else {
                    field.append(byte) // lenient: text after a closing quote is kept
                    state = .unquoted
                }
            }
        }
        if encoding == .utf8, !validator.isComplete {
            throw PipelineError(.refused, "\(file.path): line \(line): byte offset \(validator.sequenceStart): invalid UTF-8 (file ends inside a character)")
        }
        if state == .quoted {
            throw PipelineError(.refused, "\(file.path): line \(quoteLine): a quote opened here is never closed before the end of the file")
        }
        guard recordHasContent || !fields.isEmpty || !field.isEmpty else { return nil }
        endField()
        return CSVRecord(line: startLine, fields: fields)
    }
}
