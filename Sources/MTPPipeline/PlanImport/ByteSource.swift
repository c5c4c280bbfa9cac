import Foundation

/// Where a ``PlanCSVReader`` reads its bytes: a file, or bytes in memory (the fuzzer, the tests), in chunks.
enum ByteSource {
    case file(FileHandle, chunkSize: Int)
    case memory([UInt8], offset: Int, chunkSize: Int)

    /// The next chunk; empty at the end. A file that cannot be read further reads as ended.
    mutating func read() -> [UInt8] {
        switch self {
        case .file(let handle, let size):
            return ((try? handle.read(upToCount: size)) ?? nil).map { [UInt8]($0) } ?? []
        case .memory(let bytes, let offset, let size):
            let end = min(bytes.count, offset + size)
            self = .memory(bytes, offset: end, chunkSize: size)
            return Array(bytes[offset..<end])
        }
    }

    func close() {
        if case .file(let handle, _) = self { try? handle.close() }
    }
}

/// Turns UTF-16 (either byte order) into UTF-8 chunk by chunk: an odd byte or the high half of a surrogate
/// pair at the end of a chunk waits for the next.
struct UTF16Transcoder {
    /// A code unit that is not UTF-16.
    struct Invalid: Error {
        var offset: Int
        var reason: String
    }

    var bigEndian = false
    private var carry: UInt8?
    private var highSurrogate: UInt32?
    private var offset = 0   // bytes of input consumed so far

    init(bigEndian: Bool = false) {
        self.bigEndian = bigEndian
    }

    /// The UTF-8 of `bytes`; `final` when no bytes follow (anything left open is then an error).
    mutating func transcode(_ bytes: [UInt8], final: Bool) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        if let first = carry, !bytes.isEmpty {
            carry = nil
            try unit(bigEndian ? UInt32(first) << 8 | UInt32(bytes[0]) : UInt32(bytes[0]) << 8 | UInt32(first), into: &out)
            offset += 2
            index = 1
        }
        while index + 1 < bytes.count {
            let a = UInt32(bytes[index]), b = UInt32(bytes[index + 1])
            try unit(bigEndian ? a << 8 | b : b << 8 | a, into: &out)
            offset += 2
            index += 2
        }
        if index < bytes.count { carry = bytes[index] }
        if final {
            if carry != nil { throw Invalid(offset: offset, reason: "the file ends inside a character (an odd number of bytes)") }
            if highSurrogate != nil { throw Invalid(offset: offset - 2, reason: "the file ends inside a surrogate pair") }
        }
        return out
    }

    private mutating func unit(_ value: UInt32, into out: inout [UInt8]) throws {
        if let high = highSurrogate {
            guard (0xDC00...0xDFFF).contains(value) else {
                throw Invalid(offset: offset - 2, reason: "a high surrogate 0x\(String(high, radix: 16, uppercase: true)) not followed by a low one")
            }
            highSurrogate = nil
            Self.appendUTF8(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00), to: &out)
        } else if (0xD800...0xDBFF).contains(value) {
            highSurrogate = value
        } else if (0xDC00...0xDFFF).contains(value) {
            throw Invalid(offset: offset, reason: "a low surrogate 0x\(String(value, radix: 16, uppercase: true)) without a high one")
        } else {
            Self.appendUTF8(value, to: &out)
        }
    }

    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        if scalar < 0x10000 {
            InputEncoding.appendUTF8(scalar, to: &out)
        } else {
            out.append(UInt8(0xF0 | (scalar >> 18)))
            out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}
