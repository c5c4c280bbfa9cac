import Foundation
import Postgres
import TestSupport
import XCTest

final class CopyTests: XCTestCase {
    /// FNV-1a over bytes: the same content in and out gives the same value.
    struct Checksum {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        var bytes = 0
        mutating func add(_ buffer: UnsafeRawBufferPointer) {
            for byte in buffer {
                value ^= UInt64(byte)
                value = value &* 0x100_0000_01b3
            }
            bytes += buffer.count
        }
    }

    static func row(_ index: Int) -> String {
        "\(index)\tlot-\(index % 9973)\t\(index % 1000).\(index % 100)\tgarden \"\(index % 37)\" ñ\n"
    }

    func testMillionRowRoundTripKeepsContent() throws {
        let database = try TestDatabase("copy")
        let connection = try database.connect()
        try connection.execute("create table bags (id bigint primary key, lot text, kg numeric, garden text)")
        let rowCount = 1_000_000
        var sent = Checksum()
        let copiedIn = try connection.copyIn("copy bags from stdin") { writer in
            var batch = ""
            batch.reserveCapacity(1 << 16)
            for index in 0..<rowCount {
                batch += Self.row(index)
                if batch.utf8.count > 60_000 {
                    batch.withUTF8 { sent.add(UnsafeRawBufferPointer($0)) }
                    try writer.write(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            batch.withUTF8 { sent.add(UnsafeRawBufferPointer($0)) }
            try writer.write(batch)
        }
        XCTAssertEqual(copiedIn, rowCount)

        var received = Checksum()
        var chunks = 0
        let copiedOut = try connection.copyOut("copy (select * from bags order by id) to stdout") { chunk in
            received.add(chunk)
            chunks += 1
        }
        XCTAssertEqual(copiedOut, rowCount)
        XCTAssertEqual(received.bytes, sent.bytes)
        XCTAssertEqual(received.value, sent.value, "the same content out as in")
        XCTAssertLessThan(chunks, received.bytes / 500_000 + 2, "handed over in large chunks, not row by row")
    }

    func testFailedCopyInCopiesNothingAndConnectionRecovers() throws {
        struct Stop: Error {}
        let database = try TestDatabase("copyabort")
        let connection = try database.connect()
        try connection.execute("create table t (id int)")
        XCTAssertThrowsError(try connection.copyIn("copy t from stdin") { writer in
            try writer.write("1\n2\n")
            throw Stop()
        }) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(try connection.query("select count(*) from t").first?.decode(Int.self, 0), 0)

        XCTAssertThrowsError(try connection.copyIn("copy t from stdin") { try $0.write("1\nnot a number\n") }) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.sqlState, "22P02")
            XCTAssertTrue(error?.location?.contains("line 2") ?? false, "names the line: \(String(describing: error))")
        }
        XCTAssertEqual(try connection.query("select count(*) from t").first?.decode(Int.self, 0), 0)
    }

    func testConsumerFailureDuringCopyOutLeavesConnectionUsable() throws {
        struct Enough: Error {}
        let database = try TestDatabase("copyout")
        let connection = try database.connect()
        XCTAssertThrowsError(try connection.copyOut("copy (select g, repeat('x', 100) from generate_series(1, 50000) g) to stdout") { _ in
            throw Enough()
        }) { XCTAssertTrue($0 is Enough) }
        XCTAssertEqual(try connection.query("select 1").first?.decode(Int.self, 0), 1)
    }
}
