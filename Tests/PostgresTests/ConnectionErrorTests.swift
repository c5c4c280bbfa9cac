import Postgres
import TestSupport
import XCTest

final class ConnectionErrorTests: XCTestCase {
    func testFailedConnectionNeverShowsThePassword() throws {
        let secret = "S3cr3t-Pa55word"
        for conninfo in [
            "postgresql://auditor:\(secret)@127.0.0.1:1/manager?connect_timeout=2",
            "host=127.0.0.1 port=1 dbname=central user=auditor password=\(secret) connect_timeout=2",
        ] {
            XCTAssertThrowsError(try Connection.connect(conninfo)) { error in
                let text = "\(error)"
                XCTAssertFalse(text.contains(secret), "password leaked: \(text)")
                XCTAssertEqual((error as? PostgresError)?.code, .connection)
                XCTAssertTrue(text.contains("127.0.0.1"), "names the host: \(text)")
                XCTAssertTrue(text.contains("port 1"), "names the port: \(text)")
                XCTAssertTrue(text.contains("database manager") || text.contains("database central"), "names the database: \(text)")
            }
        }
    }

    func testWrongPasswordAgainstARealServerIsRedacted() throws {
        // A server that asks for a password: a role with md5/scram is not reachable under trust, so the
        // password travels in the string and must not come back in the message even when the server answers.
        let base = try TestServer.baseConninfo
        let secret = "AnotherSecret-9431"
        XCTAssertThrowsError(try Connection.connect(base + " dbname=no_such_database_\(secret) password=\(secret)")) { error in
            XCTAssertFalse("\(error)".contains(secret), "\(error)")
            XCTAssertTrue("\(error)".contains("********"), "\(error)")
        }
    }

    func testRedactionOfDescriptions() {
        let url = "postgresql://u:pw123456@db.example:6543/tea_management"
        XCTAssertEqual(ConnectionString.describe(url), "host db.example port 6543 database tea_management user u")
        XCTAssertFalse(ConnectionString.redact("failed for \(url)", conninfo: url).contains("pw123456"))
    }
}
