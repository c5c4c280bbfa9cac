import Foundation
import MTPDevelopment
@testable import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// Central in another building, reached over TCP with `sslmode=verify-full`: a server of the test's own with
/// `ssl = on` and a certificate for localhost signed by a certificate authority made for the test by `openssl`.
final class CentralTLSTests: XCTestCase {
    func testOnlyAConnectionThatLeavesTheMachineIsWarnedAboutWithoutTLS() {
        for host in ["", "/var/run/postgresql", "@abstract", "localhost", "127.0.0.1", "::1"] {
            XCTAssertTrue(CentralSource.isLocal(host: host), host)
        }
        for host in ["central-db.internal", "10.20.0.5", "fe80::1", "127.0.0.1.example.com"] {
            XCTAssertFalse(CentralSource.isLocal(host: host), "\(host) is reached over the network")
        }
    }

    func testVerifiedTLSPullIsRecordedAsEncryptedAndTheWrongAuthorityIsRefused() throws {
        let central = try TestCluster(tls: true)
        let tls = try XCTUnwrap(central.tls)
        try Connection.withConnection(central.conninfo(database: "postgres")) { try $0.execute("create database central") }
        try FixtureInstaller(files: SourceDatabases.files).install(.central, into: try Connection.connect(central.conninfo(database: "central")))
        let manager = try TestDatabase("tls_m")
        try FixtureInstaller(files: SourceDatabases.files).install(.manager, into: try manager.connect())
        try Migrator(directory: SourceDatabases.files.migrations).migrate(try manager.connect())

        let verified = central.tcpConninfo(database: "central", "sslmode=verify-full sslrootcert=\(tls.authority.path)")
        let pulled = try CommandLineRun.run(["pull-central", "--jobs", "2"],
                                            environment: ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": verified])
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        let ledger = try manager.connect()
        let first = try XCTUnwrap(ledger.query("select pull_id, encrypted, outcome, central_host from mtp.central_pull order by pull_id desc limit 1").first)
        XCTAssertEqual(try first.decode(Bool.self, 1), true, "the ledger records the encrypted connection (pg_stat_ssl)")
        XCTAssertEqual(try first.decode(String.self, 2), "succeeded")
        XCTAssertEqual(try first.decode(String.self, 3), "localhost")
        XCTAssertEqual(try ledger.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0), try first.decode(Int64.self, 0))
        let snapshots = try CommandLineRun.run(["snapshots"], environment: ["MTP_MANAGER_URL": manager.conninfo])
        XCTAssertTrue(snapshots.stdout.contains("source: primary, WAL ") && snapshots.stdout.contains(", TLS, 2 jobs"), snapshots.stdout)

        let impostor = central.tcpConninfo(database: "central", "sslmode=verify-full sslrootcert=\(tls.otherAuthority.path)")
        let refused = try CommandLineRun.run(["pull-central"], environment: ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": impostor])
        XCTAssertEqual(refused.status, 3, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("certificate verify failed"), "libpq's reason: \(refused.stderr)")
        XCTAssertEqual(try ledger.query("select pull_id from snapshot.pull").first?.decode(Int64.self, 0), try first.decode(Int64.self, 0),
                       "the snapshot of the verified pull stays")

        // A client that asks for no TLS is not encrypted, and the ledger says so.
        let plain = central.tcpConninfo(database: "central", "sslmode=disable")
        let unencrypted = try CommandLineRun.run(["pull-central"], environment: ["MTP_MANAGER_URL": manager.conninfo, "MTP_CENTRAL_URL": plain])
        XCTAssertEqual(unencrypted.status, 0, unencrypted.stderr)
        XCTAssertEqual(try ledger.query("select encrypted from mtp.central_pull order by pull_id desc limit 1").first?.decode(Bool.self, 0), false)
    }
}
