/// The character encodings a planning file may be read in.
public enum InputEncoding: String, CaseIterable, Sendable {
    /// UTF-8 (the default); invalid bytes refuse the file.
    case utf8 = "utf-8"
    /// Windows-1252, converted to UTF-8.
    case windows1252 = "windows-1252"
    /// ISO-8859-1, converted to UTF-8.
    case latin1 = "latin1"
    /// UTF-16 little-endian (Excel's "Unicode Text"), transcoded to UTF-8.
    case utf16le = "utf-16le"
    /// UTF-16 big-endian, transcoded to UTF-8.
    case utf16be = "utf-16be"

    /// Whether it is one of the UTF-16 forms.
    var isUTF16: Bool { self == .utf16le || self == .utf16be }

    /// The encoding a byte-order mark at the start of `bytes` names, and the mark's length.
    static func byteOrderMark(_ bytes: [UInt8]) -> (encoding: InputEncoding, length: Int)? {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16le, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16be, 2) }
        return nil
    }

    /// The Unicode scalar of a byte >= 0x80 in a single-byte encoding.
    func scalar(for byte: UInt8) -> UInt32 {
        switch self {
        case .utf8, .latin1, .utf16le, .utf16be:
            return UInt32(byte)
        case .windows1252:
            guard (0x80...0x9F).contains(byte) else { return UInt32(byte) }
            return Self.windows1252High[Int(byte - 0x80)]
        }
    }

    /// Windows-1252's 0x80-0x9F; the five undefined bytes map to the C1 controls of the same value (as WHATWG does).
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Appends the UTF-8 encoding of a scalar below U+10000.
    static func appendUTF8(_ scalar: UInt32, to buffer: inout [UInt8]) {
        if scalar < 0x80 {
            buffer.append(UInt8(scalar))
        } else if scalar < 0x800 {
            buffer.append(UInt8(0xC0 | (scalar >> 6)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        } else {
            buffer.append(UInt8(0xE0 | (scalar >> 12)))
            buffer.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            buffer.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// Checks UTF-8 one byte at a time, across chunk boundaries (RFC 3629: no overlongs, surrogates or values past U+10FFFF).
struct UTF8Validator {
    private var needed = 0
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Byte offset where the current multi-byte sequence started.
    private(set) var sequenceStart = 0

    /// Feeds one byte at `offset`; false when the byte makes the input invalid.
    mutating func accept(_ byte: UInt8, at offset: Int) -> Bool {
        if needed == 0 {
            switch byte {
            case 0x00...0x7F: return true
            case 0xC2...0xDF: needed = 1
            case 0xE0: needed = 2; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: needed = 2
            case 0xED: needed = 2; upper = 0x9F
            case 0xF0: needed = 3; lower = 0x90
            case 0xF1...0xF3: needed = 3
            case 0xF4: needed = 3; upper = 0x8F
            default: return false
            }
            sequenceStart = offset
            return true
        }
        guard byte >= lower, byte <= upper else { return false }
        lower = 0x80
        upper = 0xBF
        needed -= 1
        return true
    }

    /// True when no multi-byte sequence is left open.
    var isComplete: Bool { needed == 0 }
}
