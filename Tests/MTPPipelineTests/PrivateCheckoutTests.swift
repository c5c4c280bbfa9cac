import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class PrivateCheckoutTests: XCTestCase {
    /// Root's home and `mktemp -d` make directories only their owner may enter: a clone there still gets an
    /// embedded database, placed where the server's user can reach it, said by `db status`, gone after `db remove`.
    func testEmbeddedDatabaseInACloneOthersCannotEnter() throws {
        let parent = try TemporaryDirectory()
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: parent.url.path)
        let clone = parent.url.appendingPathComponent("mtp")
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        git.arguments = ["clone", "--quiet", "--no-hardlinks", TestServer.projectRoot.path, clone.path]
        try git.run()
        git.waitUntilExit()
        XCTAssertEqual(git.terminationStatus, 0, "git clone of the project")

        let start = try CommandLineRun.run(["db", "start"], in: clone)
        defer { _ = try? CommandLineRun.run(["db", "remove"], in: clone) }
        XCTAssertEqual(start.status, 0, "db start in a private clone: \(start.stderr)")
        let status = try CommandLineRun.run(["db", "status"], in: clone)
        XCTAssertEqual(status.status, 0, status.stderr)
        let local = LocalDatabase(root: clone.appendingPathComponent(".mtp"))
        if geteuid() == 0 {
            XCTAssertTrue(local.isPlacedOutside, "as root, the cluster leaves a checkout the postgres user cannot enter")
            XCTAssertTrue(status.stdout.contains("outside the checkout: the postgres user cannot enter \(clone.path)/.mtp"), status.stdout)
            XCTAssertTrue(status.stdout.contains("cluster in \(local.placement.path)/pg"), status.stdout)
        }
        try Connection.withConnection(local.socketConninfo(database: "manager")) { connection in
            XCTAssertEqual(try connection.query("select current_database()").first?.decode(String.self, 0), "manager")
            let dataDirectory = try XCTUnwrap(try connection.query("show data_directory").first?.decode(String.self, 0))
            XCTAssertTrue(dataDirectory.hasPrefix(local.placement.path), "\(dataDirectory) is under \(local.placement.path)")
        }

        let placement = local.placement
        let remove = try CommandLineRun.run(["db", "remove"], in: clone)
        XCTAssertEqual(remove.status, 0, remove.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: placement.appendingPathComponent("pg").path), "db remove deletes the cluster")
        XCTAssertFalse(FileManager.default.fileExists(atPath: clone.appendingPathComponent(".mtp/pg").path), "and its link in the checkout")
        XCTAssertFalse(try local.status().running)
    }
}
