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

/// `fixture load` never writes to the databases a scheduler configures, and never over a working database
/// unless told to.
final class FixtureLoadSafetyTests: XCTestCase {
    static let state = SampleFacts.handBuilt.appendingPathComponent("state")

    func counts(_ sources: SourceDatabases) throws -> [Int] {
        [try sources.manager.connect().query("select count(*)::int from order_request").first!.decode(Int.self, 0),
         try sources.central.connect().query("select count(*)::int from tealine_record").first!.decode(Int.self, 0)]
    }

    func testTheConfiguredDatabasesAreNeverTheLoadsAndAWorkingOneNeedsReplace() throws {
        // A Manager the pipeline works in (migrated, with rows) and its Central, as a scheduler's URLs name them.
        let working = try SourceDatabases("load_working")
        try FixtureLoader().load(from: Self.state, system: .central, into: try working.central.connect())
        try FixtureLoader().load(from: Self.state, system: .manager, into: try working.manager.connect())
        try working.manager.connect().execute("insert into order_request (request_code, order_code, product_name, requirement) values (999999, 'ORD-EXTRA', 'Extra', 1)")
        let before = try counts(working)
        let other = try TemporaryDirectory()
        try other.write("manager/order_request.csv", "request_code,order_code,product_name,requirement\n1,ORD-X,Earl Grey,100\n")

        // With the URLs in the environment and no option: the embedded databases are the target, never these.
        _ = try CommandLineRun.run(["fixture", "load", other.url.path], environment: working.environment)
        XCTAssertEqual(try counts(working), before, "MTP_MANAGER_URL and MTP_CENTRAL_URL are not where fixture load writes")

        // Named on the command line: refused, naming what it would destroy.
        let refused = try CommandLineRun.run(["fixture", "load", Self.state.path, "--manager", working.manager.conninfo, "--central", working.central.conninfo])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the pipeline's schemas mtp"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("rows in public.order_request"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--replace"), refused.stderr)
        XCTAssertEqual(try counts(working), before, "nothing loaded")

        let replaced = try CommandLineRun.run(["fixture", "load", Self.state.path, "--replace", "--manager", working.manager.conninfo,
                                               "--central", working.central.conninfo])
        XCTAssertEqual(replaced.status, 0, replaced.stderr)
        let stateRows = try [("manager", "order_request"), ("central", "tealine_record")].map { system, table in
            try String(contentsOf: Self.state.appendingPathComponent("\(system)/\(table).csv"), encoding: .utf8)
                .split(separator: "\n").count - 1
        }
        XCTAssertEqual(try counts(working), stateRows, "--replace loads the state's rows in place of theirs")

        // Empty fixture databases take a load without --replace, as make run's do.
        let fresh = try SourceDatabases("load_fresh", migrate: false)
        let loaded = try CommandLineRun.run(["fixture", "load", Self.state.path, "--manager", fresh.manager.conninfo, "--central", fresh.central.conninfo])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)
        XCTAssertEqual(try counts(fresh), stateRows)
    }
}
