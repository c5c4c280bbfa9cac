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
        try Connection.withConnection(local.socketConninfo(database: "manager")) { settings in
            XCTAssertEqual(try settings.query("select setting::int * 8 / 1024 from pg_settings where name = 'shared_buffers'").first!.decode(Int.self, 0),
                           ServerMemory.sharedBuffersMegabytes(), "shared buffers of a quarter of the machine's memory")
            if try ServerTools.locate().hasLibrary("pg_prewarm") {
                XCTAssertEqual(try settings.query("show shared_preload_libraries").first!.decode(String.self, 0), "pg_prewarm",
                               "the buffers' pages are reloaded after a restart")
            }
        }
        try local.stop()
        XCTAssertFalse(try local.status().running)
        XCTAssertThrowsError(try Connection.connect(local.socketConninfo(database: "manager")))
    }

    func testSharedBuffersAreAQuarterOfTheMachineBetween256MBAnd8GB() {
        let gib: UInt64 = 1 << 30
        XCTAssertEqual(ServerMemory.sharedBuffersMegabytes(memory: gib / 2), 256, "a small machine keeps the earlier 256 MB")
        XCTAssertEqual(ServerMemory.sharedBuffersMegabytes(memory: 2 * gib), 512)
        XCTAssertEqual(ServerMemory.sharedBuffersMegabytes(memory: 24 * gib), 6 * 1024)
        XCTAssertEqual(ServerMemory.sharedBuffersMegabytes(memory: 256 * gib), 8 * 1024, "at most 8 GB")
        XCTAssertEqual(ServerMemory.sharedBuffersMegabytes(memory: 0), 256)
    }

    func testAControlGroupsMemoryLimitBoundsTheBuffersAndAServerWithoutPgPrewarmDoesNotPreloadIt() throws {
        let directory = try TemporaryDirectory()
        let limited = directory.url.appendingPathComponent("memory.max"), unlimited = directory.url.appendingPathComponent("v2-max")
        try "2147483648\n".write(to: limited, atomically: true, encoding: .utf8)
        try "max\n".write(to: unlimited, atomically: true, encoding: .utf8)
        XCTAssertEqual(ServerMemory.availableMemory(cgroupFiles: [unlimited.path, limited.path]), min(2 << 30, ProcessInfo.processInfo.physicalMemory),
                       "a unit's MemoryMax= of 2 GiB, not the machine's memory")
        XCTAssertEqual(ServerMemory.availableMemory(cgroupFiles: [unlimited.path, directory.url.appendingPathComponent("none").path]),
                       ProcessInfo.processInfo.physicalMemory, "no limit: the machine's")
        XCTAssertEqual(ServerMemory.cgroupLimitFiles(membership: "0::/system.slice/mtp-etl.service\n", root: "/cg"),
                       ["/cg/system.slice/mtp-etl.service/memory.max", "/cg/system.slice/memory.max", "/cg/memory.max"],
                       "a systemd unit's own group first, then every group above it")
        XCTAssertEqual(ServerMemory.cgroupLimitFiles(membership: "5:cpu,cpuacct:/x\n4:memory:/docker/abc\n", root: "/cg"),
                       ["/cg/memory/docker/abc/memory.limit_in_bytes", "/cg/memory/docker/memory.limit_in_bytes", "/cg/memory/memory.limit_in_bytes"])
        let bare = ServerTools(initdb: directory.url.appendingPathComponent("bin/initdb").path, pgctl: directory.url.appendingPathComponent("bin/pg_ctl").path)
        XCTAssertEqual(ServerMemory.settings(tools: bare, memory: 8 << 30), "shared_buffers = '2048MB'")
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data().write(to: directory.url.appendingPathComponent("lib/pg_prewarm.so"))
        XCTAssertEqual(ServerMemory.settings(tools: bare, memory: 8 << 30), "shared_buffers = '2048MB'\nshared_preload_libraries = 'pg_prewarm'")
    }
}
