import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The fixture reproduces Central's own rules (DOMAIN.md): each trigger and scan_record.
final class CentralRulesTests: XCTestCase {
    var sources: SourceDatabases!
    var central: Connection!

    override func setUpWithError() throws {
        sources = try SourceDatabases("rules", migrate: false)
        central = try sources.central.connect()
        try central.execute("""
            insert into store_location values ('WH-A', false), ('HERB-1', true);
            insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag, garden, grade)
                 values ('TL-001', 1700000000000, 4, 50.00, 'Pedro', 'BOP');
            insert into herbline (item_code, created_ts, item_name) values ('HB-1', 1700000000000, 'Mint');
            insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
                 values ('BB-1', 1700000000000, 'BLD-9', 100.00, 'opening');
            insert into blendsheet (blendsheet_no, standard, remarks, total) values ('BS-1', 'STD', '-', 500);
            insert into blendsheet_batch (item_code, created_ts, blendsheet_no) values ('B-1', 1700000100000, 'BS-1');
            """)
    }

    override func tearDown() {
        central = nil
        sources = nil
    }

    @discardableResult
    func addTealineBag(gross: String = "51.50", bag: String = "1.00", location: String = "WH-A") throws -> UUID {
        try central.query("""
            insert into tealine_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
                 values ('TL-001', 1700000000000, $1, $2::numeric, $3::numeric, 'PROCESSED', 0) returning barcode
            """, [location, bag, gross]).first!.decode(UUID.self, 0)
    }

    func testNewRecordIsAcceptedWithItsNetWeightRemaining() throws {
        let barcode = try addTealineBag(gross: "51.50", bag: "1.25")
        let row = try XCTUnwrap(central.query("select status, remaining from tealine_record where barcode = $1", [barcode]).first)
        XCTAssertEqual(try row.decode(String.self, 0), "ACCEPTED", "status given as PROCESSED is reset")
        XCTAssertEqual(try row.decode(Decimal.self, 1), Decimal(string: "50.25"), "51.50 - 1.25")
    }

    func testFifthBagOnAFourBagLotIsRefused() throws {
        for _ in 0..<4 { try addTealineBag() }
        XCTAssertThrowsError(try addTealineBag()) { error in
            XCTAssertEqual((error as? PostgresError)?.sqlState, "23514")
            XCTAssertTrue("\(error)".contains("TL-001"))
        }
        XCTAssertEqual(try central.query("select count(*) from tealine_record").first?.decode(Int.self, 0), 4)
    }

    func testLocationsAreSegregated() throws {
        XCTAssertThrowsError(try addTealineBag(location: "HERB-1"), "tealine in a herbline section")
        XCTAssertThrowsError(try central.query("""
            insert into herbline_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
                 values ('HB-1', 1700000000000, 'WH-A', 0.5, 10.5, 'ACCEPTED', 0)
            """), "herbline in a normal location")
        XCTAssertNoThrow(try central.query("""
            insert into herbline_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
                 values ('HB-1', 1700000000000, 'HERB-1', 0.5, 10.5, 'ACCEPTED', 0)
            """))
        XCTAssertNoThrow(try addTealineBag(location: "WH-A"))
    }

    func testBlendbalanceCannotReceiveMoreThanItsWeight() throws {
        let insert = """
            insert into blendbalance_record (item_code, created_ts, store_location, bag_weight, gross_weight, status, remaining)
                 values ('BB-1', 1700000000000, 'WH-A', 1.00, $1::numeric, 'ACCEPTED', 0)
            """
        try central.query(insert, ["61.00"])  // 60 kg net
        try central.query(insert, ["41.00"])  // 40 kg net: exactly 100
        XCTAssertThrowsError(try central.query(insert, ["1.50"])) { error in  // 0.5 kg more
            XCTAssertEqual((error as? PostgresError)?.sqlState, "23514")
        }
    }

    func testShipmentAllocationStartsWithRemainingEqualToAmountAndParcelsReduceIt() throws {
        let barcode = try addTealineBag()
        try central.query("""
            insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
                 values ($1, 10, 1, 20.5, 0)
            """, [barcode])
        let remaining = { try self.central.query("select remaining from tealine_allocate_shipment where barcode = $1", [barcode]).first!.decode(Decimal.self, 0) }
        XCTAssertEqual(try remaining(), Decimal(string: "20.5"))
        try central.query("""
            insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount)
                 values ($1, 10, 1, 77, 5.5)
            """, [barcode])
        XCTAssertEqual(try remaining(), Decimal(15), "20.5 - 5.5")
    }

    func testScanRecordReturnsParentAndAllocationsButNotParcels() throws {
        let barcode = try addTealineBag(gross: "51.00", bag: "1.00")  // 50 kg net
        try central.query("insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) values ($1, 10, 1, 20, 0)", [barcode])
        try central.query("insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount) values ($1, 10, 1, 77, 8)", [barcode])
        try central.query("insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount) values ($1, 'B-1', 1700000100000, 12.5)", [barcode])

        let text = try XCTUnwrap(central.query("select scan_record('tealine', $1)::text", [barcode]).first?.decode(String.self, 0))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let record = try XCTUnwrap(json["record"] as? [String: Any])
        XCTAssertEqual(record["barcode"] as? String, barcode.uuidString.lowercased())
        let parent = try XCTUnwrap(json["parent"] as? [String: Any])
        XCTAssertEqual(parent["garden"] as? String, "Pedro")
        let allocations = try XCTUnwrap(json["allocations"] as? [String: Any])
        XCTAssertEqual(Set(allocations.keys), ["tealine_allocate_blendsheet", "tealine_allocate_shipment"], "no parcel allocations")
        XCTAssertEqual((allocations["tealine_allocate_shipment"] as? [Any])?.count, 1)
        // 50 net - (20 shipment + 12.5 blendsheet) = 17.5; the 8 kg parcel refines the shipment and is not counted.
        XCTAssertEqual("\(json["allocated"]!)", "32.5")
        XCTAssertEqual("\(json["remaining"]!)", "17.5")
    }
}
