import Foundation
import Hashing
import XCTest

/// SHA-256 from the system's libcrypto gives the standard digests, in one call or piece by piece, and the same
/// digest of a file as `sha256sum`.
final class SHA256Tests: XCTestCase {
    /// FIPS 180-2's examples and the empty message.
    func testKnownVectors() {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ]
        for (message, digest) in vectors {
            XCTAssertEqual(SHA256.hash(data: Array(message.utf8)).hexString, digest, message)
        }
        XCTAssertEqual(SHA256.hash(data: Data(repeating: UInt8(ascii: "a"), count: 1_000_000)).hexString,
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "a million a's")
        XCTAssertEqual(SHA256.hash(data: [UInt8]()).bytes.count, 32)
    }

    func testPieceByPieceEqualsOneCall() {
        let bytes = (0..<100_003).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var offset = 0
        for size in [0, 1, 63, 64, 65, 4096, 1 << 16] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            hasher.update(data: bytes[offset..<end])
            offset = end
        }
        Array(bytes[offset...]).withUnsafeBytes { remaining in hasher.update(bufferPointer: remaining) }
        let pieceByPiece = hasher.finalize()
        XCTAssertEqual(pieceByPiece, SHA256.hash(data: bytes))
        XCTAssertEqual(SHA256.hash(data: AnySequence(bytes)), SHA256.hash(data: bytes), "a sequence without contiguous storage")
    }

    func testAFileHashesAsSha256sumSaysIt() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mtp-sha256-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let bytes = Data((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 ^ ($0 >> 9)) })
        try bytes.write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(SHA256.hash(data: bytes).hexString, String(printed.prefix(64)))
    }
}
