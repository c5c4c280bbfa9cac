import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres
import TestSupport
import XCTest

final class FixtureLoaderTests: XCTestCase {
    func testLoadsAStateInDependencyOrderWithTriggersOff() throws {
        let sources = try SourceDatabases("load")
        let state = try TemporaryDirectory()
        // Columns in any order; a record whose status and remaining the trigger would overwrite are kept as saved.
        try state.write("central/tealine_record.csv", """
            status,remaining,barcode,item_code,created_ts,received_ts,store_location,bag_weight,gross_weight
            DISPATCHED,0,6f1c8a52-2c3e-4a7d-9a57-0c9b1e6c2a01,TL-9,1700000000000,1700000500000,WH-A,1.00,51.00

            """)
        try state.write("central/tealine.csv", "item_code,created_ts,no_of_bags,weight_per_bag,garden\nTL-9,1700000000000,1,50.00,\"Kenilworth, upper\"\n")
        try state.write("central/store_location.csv", "location_name,herbline_section\nWH-A,false\n")
        try state.write("manager/order_request.csv", "request_code,order_code,product_name,requirement\n41,ORD-1,Earl Grey,100\n")
        try state.write("manager/order_shipment.csv", "request_code,shipment_code,quantity\n41,1,50\n")

        let loader = FixtureLoader()
        let central = try sources.central.connect()
        let manager = try sources.manager.connect()
        XCTAssertEqual(try loader.load(from: state.url, system: .central, into: central).map(\.table),
                       ["public.store_location", "public.tealine", "public.tealine_record"])
        XCTAssertEqual(try loader.load(from: state.url, system: .manager, into: manager).map(\.rows), [1, 1])

        let record = try XCTUnwrap(central.query("select status, remaining::text from tealine_record").first)
        XCTAssertEqual(try record.decode(String.self, 0), "DISPATCHED")
        XCTAssertEqual(try record.decode(String.self, 1), "0")
        XCTAssertEqual(try central.query("select garden from tealine").first?.decode(String.self, 0), "Kenilworth, upper")
        // The identity sequence moved past the loaded key.
        let next = try manager.query("insert into order_request (order_code, product_name, requirement) values ($1, $2, $3) returning request_code",
                                     ["ORD-2", "Mint", 5]).first?.decode(Int.self, 0)
        XCTAssertEqual(next, 42)
        // Loading again replaces rather than duplicates.
        try loader.load(from: state.url, system: .central, into: central)
        XCTAssertEqual(try central.query("select count(*) from tealine_record").first?.decode(Int.self, 0), 1)
    }

    func testUnknownColumnOrTableLoadsNothing() throws {
        let sources = try SourceDatabases("loadbad")
        let state = try TemporaryDirectory()
        try state.write("central/store_location.csv", "location_name,herbline_section\nWH-A,false\n")
        try state.write("central/tealine.csv", "item_code,created_ts,no_of_bags,weight_per_bag,colour\nTL-9,1,1,50,green\n")
        try state.write("central/teabags.csv", "id\n1\n")
        let central = try sources.central.connect()
        XCTAssertThrowsError(try FixtureLoader().load(from: state.url, system: .central, into: central)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("tealine.csv") && text.contains("colour"), text)
            XCTAssertTrue(text.contains("teabags"), text)
            XCTAssertEqual(ExitStatus(for: error), .refused)
        }
        XCTAssertEqual(try central.query("select count(*) from store_location").first?.decode(Int.self, 0), 0, "nothing loaded")
    }

    func testBadValueNamesFileAndLineAndLoadsNothing() throws {
        let sources = try SourceDatabases("loadval")
        let state = try TemporaryDirectory()
        try state.write("central/store_location.csv", "location_name,herbline_section\nWH-A,false\n")
        try state.write("central/tealine.csv", "item_code,created_ts,no_of_bags,weight_per_bag\nTL-1,1,1,50\nTL-2,2,many,50\n")
        let central = try sources.central.connect()
        XCTAssertThrowsError(try FixtureLoader().load(from: state.url, system: .central, into: central)) { error in
            XCTAssertTrue("\(error)".contains("tealine.csv") && "\(error)".contains("line 3"), "\(error)")
        }
        XCTAssertEqual(try central.query("select count(*) from store_location").first?.decode(Int.self, 0), 0)
    }
}
