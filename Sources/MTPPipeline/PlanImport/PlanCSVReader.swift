import Foundation

/// One data record of a CSV file: the physical line it starts on and its fields as read.
public struct CSVRecord: Sendable {
    /// The 1-based physical line where the record starts.
    public var line: Int
    /// The fields, unquoted, in UTF-8.
    public var fields: [String]

    /// True for a record whose every field is empty or white space: a blank line, or a row of separators only
    /// (`,,,,`), which Excel writes for formatted but empty rows.
    public var isBlank: Bool {
        fields.allSatisfy { field in field.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }
    }
}

/// Streams the records of a planning CSV file, never holding the file whole.
///
/// RFC 4180 plus what real exports do: a byte-order mark (UTF-8, or UTF-16 little- or big-endian, as Excel's
/// "Unicode Text" writes), CRLF, LF or CR line ends, quoted fields holding delimiters, doubled quotes and line
/// breaks; blank lines are skipped. The delimiter is detected among `,` `;` tab `|` unless given. Bytes are
/// validated as UTF-8, transcoded from UTF-16, or converted from a single-byte encoding; a bad byte refuses the
/// file with its line and byte offset. Line numbers are the file's physical lines, whatever its encoding.
public final class PlanCSVReader {
    /// The file being read.
    public let file: URL
    /// The encoding it is read in: the one given, else the one its byte-order mark names, else UTF-8.
    public private(set) var encoding: InputEncoding
    /// The delimiter in use (given or detected).
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")

    /// The delimiters that detection chooses among, in order of preference on a tie.
    public static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
    /// How many non-blank lines detection looks at (a report export has title lines above its header).
    public static let detectionLines = 20

    private var source: ByteSource
    private var chunk: [UInt8] = []
    private var position = 0
    private var fileOffset = 0   // offset of chunk[0] in the file (UTF-8 and single-byte encodings)
    private var atEnd = false
    private var line = 1
    private var pendingCR = false
    private var validator = UTF8Validator()
    private var utf16 = UTF16Transcoder()

    /// Opens `file`; `encoding` nil means by byte-order mark (UTF-8 without one); `delimiter` nil means detect it.
    public init(file: URL, encoding: InputEncoding? = nil, delimiter: UInt8? = nil) throws {
        self.file = file
        do {
            source = .file(try FileHandle(forReadingFrom: file), chunkSize: 1 << 20)
        } catch {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): cannot be read: \(FileKind.reason(error))")
        }
        self.encoding = encoding ?? .utf8
        try start(encoding: encoding, delimiter: delimiter)
    }

    /// Reads `bytes` as if they were a file called `name`, in chunks of `chunkSize` bytes (the fuzzer and the
    /// tests make them small, to cross every boundary).
    public init(bytes: [UInt8], name: String = "input", encoding: InputEncoding? = nil, delimiter: UInt8? = nil, chunkSize: Int = 1 << 20) throws {
        file = URL(fileURLWithPath: name)
        source = .memory(bytes, offset: 0, chunkSize: max(chunkSize, 1))
        self.encoding = encoding ?? .utf8
        try start(encoding: encoding, delimiter: delimiter)
    }

    deinit { source.close() }

    /// Reads the byte-order mark (which decides the encoding when none is given) and the delimiter.
    private func start(encoding given: InputEncoding?, delimiter: UInt8?) throws {
        var raw = source.read()
        while raw.count < 3, !raw.isEmpty {   // a BOM split by a tiny chunk
            let more = source.read()
            if more.isEmpty { break }
            raw += more
        }
        let mark = InputEncoding.byteOrderMark(raw)
        encoding = given ?? mark?.encoding ?? .utf8
        if let mark, mark.encoding == encoding { raw.removeFirst(mark.length); fileOffset = mark.length }
        if encoding.isUTF16 { utf16 = UTF16Transcoder(bigEndian: encoding == .utf16be) }
        try load(raw)
        // Detection looks at the first lines, whatever the size of the chunks: read on (doubling what is held)
        // until they are all here, or the first MiB is.
        var ended = atEnd
        while !ended, chunk.count < Self.detectionBytes, scanFirstLines().lines < Self.detectionLines {
            var gathered = chunk
            let target = max(gathered.count * 2, 64)
            while !ended, gathered.count < target {
                try load(source.read())
                ended = atEnd
                gathered.append(contentsOf: chunk)
            }
            chunk = gathered
        }
        atEnd = chunk.isEmpty
        self.delimiter = try delimiter ?? detectDelimiter()
    }

    private func refill() throws {
        fileOffset += chunk.count
        try load(source.read())
    }

    /// Makes `raw` the current chunk: UTF-16 transcoded to UTF-8, anything else as it is.
    private func load(_ raw: [UInt8]) throws {
        position = 0
        atEnd = raw.isEmpty
        guard encoding.isUTF16 else {
            chunk = raw
            return
        }
        do {
            chunk = try utf16.transcode(raw, final: raw.isEmpty)
        } catch let error as UTF16Transcoder.Invalid {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): line \(line + chunk.prefix(position).filter { $0 == 0x0A }.count): byte offset \(error.offset): invalid \(encoding.rawValue.uppercased()) (\(error.reason))")
        }
    }

    /// How much of the file's start detection looks at, at most.
    static let detectionBytes = 1 << 20

    /// Per candidate, the most it occurs outside quotes on any of the first non-blank lines; the highest wins
    /// (`,` if none), so that title lines above a header do not decide.
    private func detectDelimiter() throws -> UInt8 {
        let best = scanFirstLines().best
        var winner = UInt8(ascii: ",")
        for candidate in Self.candidateDelimiters where best[candidate, default: 0] > best[winner, default: 0] {
            winner = candidate
        }
        return winner
    }

    /// The first ``detectionLines`` non-blank lines held (within ``detectionBytes``): per candidate delimiter the
    /// most it occurs outside quotes on one of them, and how many complete lines there were.
    private func scanFirstLines() -> (best: [UInt8: Int], lines: Int) {
        var best = [UInt8: Int](), counts = [UInt8: Int]()
        var quoted = false, sawContent = false, lines = 0
        for byte in chunk[position..<min(chunk.count, position + Self.detectionBytes)] {
            switch byte {
            case UInt8(ascii: "\""): quoted.toggle(); sawContent = true
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                guard !quoted, sawContent else { continue }
                for (candidate, count) in counts { best[candidate] = max(best[candidate, default: 0], count) }
                counts = [:]
                sawContent = false
                lines += 1
            default:
                sawContent = true
                if !quoted, Self.candidateDelimiters.contains(byte) { counts[byte, default: 0] += 1 }
            }
            if lines == Self.detectionLines { break }
        }
        for (candidate, count) in counts { best[candidate] = max(best[candidate, default: 0], count) }
        return (best, lines)
    }

    /// What to do about bytes that are not UTF-8.
    static let encodingAdvice = """
        save it from Excel as "CSV UTF-8" or "Unicode Text", or import it with --encoding windows-1252 (or latin1) \
        if an older system wrote it
        """

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// The longest record a planning file may have: far beyond any plan (a value of a megabyte is still a row
    /// to reject with its reason), short enough that a file that is no planning file, or a quote never closed,
    /// is refused within the import's memory budget.
    public static let maxRecordBytes = 16 << 20

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
        var recordBytes = 0

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
            recordBytes += 1
            if recordBytes > Self.maxRecordBytes {
                throw PipelineError(.refused, """
                    \(InputText.shown(file.path)): line \(startLine): a record longer than \(Self.maxRecordBytes >> 20) MiB\
                    \(state == .quoted ? ", inside a quote opened on line \(quoteLine) and not closed" : ""): not a planning file
                    """)
            }
            if byte < 0x80, encoding == .utf8, !validator.isComplete, !validator.accept(byte, at: offset) {
                throw PipelineError(.refused, """
                    \(InputText.shown(file.path)): line \(line): byte offset \(validator.sequenceStart): invalid UTF-8 (incomplete sequence); \
                    \(Self.encodingAdvice)
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
                    recordBytes = 0
                    continue
                }
                endField()
                return CSVRecord(line: startLine, fields: fields)
            }

            if state == .fieldStart { recordHasContent = true }
            if byte >= 0x80 {
                if encoding.isUTF16 {
                    field.append(byte)   // already UTF-8, transcoded
                } else if encoding == .utf8 {
                    guard validator.accept(byte, at: offset) else {
                        throw PipelineError(.refused, """
                            \(InputText.shown(file.path)): line \(line): byte offset \(offset): invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true))); \
                            \(Self.encodingAdvice)
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
            throw PipelineError(.refused, "\(InputText.shown(file.path)): line \(line): byte offset \(validator.sequenceStart): invalid UTF-8 (file ends inside a character)")
        }
        if state == .quoted {
            throw PipelineError(.refused, "\(InputText.shown(file.path)): line \(quoteLine): a quote opened here is never closed before the end of the file")
        }
        guard recordHasContent || !fields.isEmpty || !field.isEmpty else { return nil }
        endField()
        return CSVRecord(line: startLine, fields: fields)
    }
}
