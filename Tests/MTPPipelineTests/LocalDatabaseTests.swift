import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class LocalDatabaseTests: XCTestCase {
    func testStartIsIdempotentAndStopIsClean() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        let local = LocalDatabase(root: directory.url.appendingPathComponent(".mtp"))
        XCTAssertFalse(try local.status().running)
        XCTAssertThrowsError(try local.runningConninfo(database: "manager")) { error in
            XCTAssertTrue("\(error)".contains("mtp-etl db start"), "says how to start it: \(error)")
        }
        defer { try? local.stop() }
        let first = try local.start()
        XCTAssertTrue(first.running)
        let second = try local.start()
        XCTAssertEqual(second.port, first.port, "a second start keeps the running server")
        for database in LocalDatabase.databases {
            let viaSocket = try Connection.connect(local.socketConninfo(database: database))
            XCTAssertEqual(try viaSocket.query("select current_database()").first?.decode(String.self, 0), database)
            let viaTCP = try Connection.connect(local.tcpURL(database: database))
            XCTAssertEqual(try viaTCP.query("select inet_server_addr()::text").first?.decode(String.self, 0), "127.0.0.1/32")
        }
        try local.stop()
        XCTAssertFalse(try local.status().running)
        XCTAssertThrowsError(try Connection.connect(local.socketConninfo(database: "manager")))
    }
}
