/// A SHA-256 digest: 32 bytes.
public struct SHA256Digest: Sequence, Hashable, Sendable, CustomStringConvertible {
    /// The length of a digest in bytes.
    public static let byteCount = 32
    /// The digest's bytes.
    public let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Iterates the bytes.
    public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }

    /// The hexadecimal digest.
    public var description: String { hexString }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits a byte (digests, checksums), as `sha256sum` prints a digest.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
