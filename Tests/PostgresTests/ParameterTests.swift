import Foundation
import Postgres
import TestSupport
import XCTest

final class ParameterTests: XCTestCase {
    var database: TestDatabase!
    var connection: Connection!

    override func setUpWithError() throws {
        database = try TestDatabase("params")
        connection = try database.connect()
    }

    override func tearDown() {
        connection = nil
        database = nil
    }

    func testHostileValuesStayValues() throws {
        try connection.execute("create table order_plan (order_code text primary key, note text)")
        let hostile = [
            "'); drop table order_plan; --",
            "O'Brien \"quoted\"",
            "back\\slash \\x00 \\\\",
            "தேநீர் 茶 🍵 Ünïcödé",
            "$1 $2 ; select pg_sleep(10)",
            "line\nbreak\ttab\r\n",
        ]
        for (index, value) in hostile.enumerated() {
            try connection.query("insert into order_plan (order_code, note) values ($1, $2)", ["code-\(index)", value])
        }
        let rows = try connection.query("select note from order_plan order by order_code").rows
        XCTAssertEqual(try rows.map { try $0.decode(String.self, 0) }, hostile)
        let echoed = try connection.query("select $1::text", [hostile[0]]).first?.decode(String.self, 0)
        XCTAssertEqual(echoed, hostile[0])
        XCTAssertEqual(try connection.query("select count(*) from order_plan").first?.decode(Int.self, 0), hostile.count,
                       "the table survives every value")
    }

    func testTypedDecoding() throws {
        let row = try XCTUnwrap(connection.query("""
            select 42::int, 9007199254740993::bigint, 1234.56::numeric(8,2), true, date '2026-02-28',
                   timestamptz '2026-11-21 10:15:30.25+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,
                   null::text, 0.1::numeric + 0.2::numeric, 2.5::real
            """).first)
        XCTAssertEqual(try row.decode(Int.self, 0), 42)
        XCTAssertEqual(try row.decode(Int64.self, 1), 9_007_199_254_740_993)
        XCTAssertEqual(try row.decode(Decimal.self, 2), Decimal(string: "1234.56"))
        XCTAssertEqual(try row.decode(Bool.self, 3), true)
        XCTAssertEqual(try row.decode(PostgresDate.self, 4), PostgresDate(year: 2026, month: 2, day: 28))
        XCTAssertEqual(try row.decode(Date.self, 5).timeIntervalSince1970, 1_795_248_930.25, accuracy: 0.0001)
        XCTAssertEqual(try row.decode(UUID.self, 6), UUID(uuidString: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
        XCTAssertNil(try row.decode(String?.self, 7))
        XCTAssertThrowsError(try row.decode(String.self, 7)) { error in
            XCTAssertEqual((error as? PostgresError)?.code, .decoding)
        }
        XCTAssertEqual(try row.decode(Decimal.self, 8), Decimal(string: "0.3"), "numeric is exact, never a double")
        XCTAssertEqual(try row.decode(Double.self, 9), 2.5)
    }

    func testParametersRoundTripTypedValues() throws {
        let date = try XCTUnwrap(PostgresDate(year: 2024, month: 2, day: 29))
        let instant = Date(timeIntervalSince1970: 1_700_000_000.123456)
        let id = UUID()
        let row = try XCTUnwrap(connection.query(
            "select $1::date, $2::timestamptz, $3::uuid, $4::numeric, $5::bool, $6::bigint, $7::text[]",
            [date, instant, id, Decimal(string: "-0.05")!, false, Int64.max, ["a\"b", "c\\d", "e,f"]]).first)
        XCTAssertEqual(try row.decode(PostgresDate.self, 0), date)
        XCTAssertEqual(try row.decode(Date.self, 1).timeIntervalSince1970, instant.timeIntervalSince1970, accuracy: 0.000001)
        XCTAssertEqual(try row.decode(UUID.self, 2), id)
        XCTAssertEqual(try row.decode(Decimal.self, 3), Decimal(string: "-0.05"))
        XCTAssertEqual(try row.decode(Bool.self, 4), false)
        XCTAssertEqual(try row.decode(Int64.self, 5), Int64.max)
        XCTAssertEqual(try row.decode(String.self, 6), #"{"a\"b","c\\d","e,f"}"#)
    }

    func testServerErrorCarriesDiagnostics() throws {
        try connection.execute("create table t (id int primary key)")
        try connection.query("insert into t values ($1)", [1])
        XCTAssertThrowsError(try connection.query("insert into t values ($1)", [1])) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.code, .server)
            XCTAssertEqual(error?.sqlState, "23505")
            XCTAssertEqual(error?.statement, "insert into t values ($1)")
            XCTAssertNotNil(error?.detail)
            XCTAssertTrue(error?.description.contains(self.database.name) ?? false, "names the database")
        }
        // The connection stays usable after an error.
        XCTAssertEqual(try connection.query("select count(*) from t").first?.decode(Int.self, 0), 1)
    }
}
