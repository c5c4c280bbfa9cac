import Postgres
import TestSupport
import XCTest

final class TransactionTests: XCTestCase {
    struct Boom: Error {}

    func testRollsBackOnThrownErrorAndCommitsOnReturn() throws {
        let database = try TestDatabase("tx")
        let connection = try database.connect()
        try connection.execute("create table t (id int)")
        XCTAssertThrowsError(try connection.withTransaction { connection in
            try connection.query("insert into t values ($1)", [1])
            throw Boom()
        }) { XCTAssertTrue($0 is Boom) }
        XCTAssertTrue(connection.isIdle)
        XCTAssertEqual(try connection.query("select count(*) from t").first?.decode(Int.self, 0), 0)

        let value = try connection.withTransaction { connection -> Int in
            try connection.query("insert into t values ($1)", [2])
            return 7
        }
        XCTAssertEqual(value, 7)
        let other = try database.connect()
        XCTAssertEqual(try other.query("select count(*) from t").first?.decode(Int.self, 0), 1, "committed for other sessions")
    }

    func testReadOnlySerializableSnapshotRefusesWrites() throws {
        let database = try TestDatabase("txro")
        let connection = try database.connect()
        try connection.execute("create table t (id int)")
        XCTAssertThrowsError(try connection.withTransaction(.consistentSnapshot) { connection in
            XCTAssertEqual(try connection.query("show transaction_isolation").first?.decode(String.self, 0), "serializable")
            try connection.query("insert into t values ($1)", [1])
        }) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "25006", "read_only_sql_transaction")
        }
    }

    func testNestedTransactionIsAUsageError() throws {
        let database = try TestDatabase("txnest")
        let connection = try database.connect()
        XCTAssertThrowsError(try connection.withTransaction { connection in
            try connection.withTransaction { _ in }
        }) { XCTAssertEqual(($0 as? PostgresError)?.code, .usage) }
        XCTAssertTrue(connection.isIdle)
    }
}
