import Foundation
import MTPPipeline
import Postgres
import TestSupport
import XCTest

/// The build on a hand-built state two levels deep. Every expected figure is worked out by hand in the comments.
final class FactsBuildTests: XCTestCase {
    var sources: SourceDatabases!
    var central: Connection!
    var manager: Connection!

    static func id(_ n: Int) -> String { String(format: "00000000-0000-0000-0000-%012d", n) }
    // Bags: a1-a4 of tealine TL-A, b1 of TL-B, outputs o1..o7, balances bb0, bb1, bbx, bby.
    static let a1 = id(1), a2 = id(2), a3 = id(3), a4 = id(4), b1 = id(11)
    static let o1 = id(101), o2 = id(102), o3 = id(103), o4 = id(104), o5 = id(105), o6 = id(106), o7 = id(107)
    static let bb0 = id(200), bb1 = id(201), bbx = id(202), bby = id(203), h1 = id(300)

    static let centralState = """
        insert into store_location values ('WH-A', false), ('HERB-1', true);
        insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
             values ('TL-A', 1000, 'INV-A', 'BOP', 4, 50.00, 'Forbes', 'Pedro', 'PO-A'),
                    ('TL-B', 2000, 'INV-B', 'FBOP', 2, 40.00, 'Bartleet', 'Kenilworth', 'PO-B');
        insert into herbline (item_code, created_ts, item_name) values ('HB-1', 500, 'Mint');
        insert into blendsheet (blendsheet_no, standard, remarks, no_of_batches, total)
             values ('BS-1', 'STD', '-', 2, 100), ('BS-2', 'STD', '-', 1, 60), ('BS-3', 'STD', '-', 1, 10);
        insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, trader_status)
             values ('B-1', 3000, 'BS-1', true, 'TRADER_ALLOWED'), ('B-2', 4000, 'BS-2', true, 'TRADER_ALLOWED'),
                    ('B-3', 5000, 'BS-3', true, 'TRADER_BLOCKED'), ('B-4', 6000, 'BS-1', false, 'TRADER_ALLOWED'),
                    ('B-5', 7000, 'BS-3', false, 'TRADER_PENDING'), ('B-6', 8000, 'BS-3', false, 'TRADER_PENDING');
        insert into blendsheet_mix_tealine values ('BS-1', 'TL-A', 1000, 1), ('BS-1', 'TL-B', 2000, 1);

        -- Tealine bags: net = gross - bag.
        insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(a1)', 'TL-A', 1000, 1100, 'WH-A', 1, 51, '', 0),   -- 50 kg
                    ('\(a2)', 'TL-A', 1000, 1200, 'WH-A', 1, 51, '', 0),   -- 50 kg
                    ('\(a3)', 'TL-A', 1000, 1300, 'WH-A', 1, 51, '', 0),   -- 50 kg
                    ('\(a4)', 'TL-A', 1000, 1400, 'WH-A', 1, 51, '', 0),   -- 50 kg
                    ('\(b1)', 'TL-B', 2000, 2100, 'WH-A', 1, 41, '', 0);   -- 40 kg
        -- Batch outputs.
        insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(o1)', 'B-1', 3000, 3100, 'WH-A', 1, 41, '', 0),    -- 40 kg
                    ('\(o2)', 'B-1', 3000, 3200, 'WH-A', 1, 37, '', 0),    -- 36 kg, its leftover becomes BB-1
                    ('\(o3)', 'B-2', 4000, 4100, 'WH-A', 1, 51, '', 0),    -- 50 kg
                    ('\(o4)', 'B-3', 5000, 5100, 'WH-A', 1, 11, '', 0),    -- 10 kg, from a batch with no inputs
                    ('\(o5)', 'B-4', 6000, 6100, 'WH-A', 1, 13, '', 0),    -- 12 kg out of 10 kg in
                    ('\(o6)', 'B-6', 8000, 8100, 'WH-A', 1, 6, '', 0),     -- 5 kg
                    ('\(o7)', 'B-5', 7000, 7100, 'WH-A', 1, 6, '', 0);     -- 5 kg
        insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
             values ('BB-0', 900, 'BLD', 30, 'OPENING-2025'),      -- an opening balance: a root lot
                    ('BB-1', 3500, 'BLD', 36, '\(o2)'),             -- descends from B-1 through o2
                    ('BB-X', 7500, 'BLD', 5, '\(o6)'),              -- descends from B-6 ...
                    ('BB-Y', 8500, 'BLD', 5, '\(o7)');              -- ... and BB-Y from B-5: a loop
        insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(bb0)', 'BB-0', 900, 950, 'WH-A', 0.5, 10.5, '', 0),    -- 10 kg
                    ('\(bb1)', 'BB-1', 3500, 3550, 'WH-A', 0.5, 20.5, '', 0),  -- 20 kg
                    ('\(bbx)', 'BB-X', 7500, 7550, 'WH-A', 0.5, 3.5, '', 0),   -- 3 kg
                    ('\(bby)', 'BB-Y', 8500, 8550, 'WH-A', 0.5, 3.5, '', 0);   -- 3 kg
        insert into herbline_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
             values ('\(h1)', 'HB-1', 500, 550, 'HERB-1', 0.5, 5.5, '', 0);

        -- Ingredients. B-1: a1 50 + b1 30 = 80 kg. B-2: a2 30 + bb1 20 + bb0 10 = 60 kg. B-4: b1 10 kg.
        -- B-5 <- BB-X (from B-6); B-6 <- BB-Y (from B-5).
        insert into tealine_allocate_blendsheet values ('\(a1)', 'B-1', 3000, 50), ('\(b1)', 'B-1', 3000, 30),
                                                       ('\(a2)', 'B-2', 4000, 30), ('\(b1)', 'B-4', 6000, 10);
        insert into blendbalance_allocate_blendsheet values ('\(bb1)', 'B-2', 4000, 20), ('\(bb0)', 'B-2', 4000, 10),
                                                            ('\(bbx)', 'B-5', 7000, 3), ('\(bby)', 'B-6', 8000, 3);
        -- Shipments. (41,1): o1 40 + o3 25 = 65 kg. (42,1): a3 50 direct + o3 20 = 70 kg. (42,2): o4 10 kg.
        -- (99,1): a4 55 kg to a request Manager does not have, more than a4's 50 kg.
        insert into tealine_allocate_shipment values ('\(a3)', 42, 1, 50, 0), ('\(a4)', 99, 1, 55, 0);
        insert into blendsheet_allocate_shipment values ('\(o1)', 41, 1, 40, 0), ('\(o3)', 41, 1, 25, 0),
                                                        ('\(o3)', 42, 1, 20, 0), ('\(o4)', 42, 2, 10, 0);
        -- Parcels refine shipment allocations and never count; schedule 8 does not exist in Manager.
        insert into blendsheet_allocate_parcel values ('\(o1)', 41, 1, 7, 15), ('\(o3)', 41, 1, 8, 5);

        -- Out of step: o1 dispatched although (41,1) has no dispatch event.
        update blendsheet_record set status = 'DISPATCHED' where barcode = '\(o1)';
        -- Bad data Central's trigger would refuse today (an old row): a herbline bag outside a herbline section.
        set session_replication_role = replica;
        update herbline_record set store_location = 'WH-A' where barcode = '\(h1)';
        set session_replication_role = origin;
        """

    static let managerState = """
        insert into order_plan values ('ORD-1', 'Earl Grey', 100, '2026-01-01', '2026-01-31');
        insert into order_request (request_code, order_code, product_name, requirement)
             values (41, 'ORD-1', 'Earl Grey', 65), (42, 'ORD-2', 'Breakfast', 80);
        insert into order_shipment values (41, 1, 60), (42, 1, 70), (42, 2, 10);   -- (41,1) allocated 65, not 60
        insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
             values (41, 1, 'SHIPMENT_ACCEPTED', 1767225600000, null),
                    (42, 1, 'SHIPMENT_ACCEPTED', 1767225600000, null),
                    (42, 1, 'SHIPMENT_DISPATCHED', 1767571200000, 'WP CAB-1234');  -- 2026-01-05 00:00 UTC
        insert into order_schedule (schedule_code, schedule_date, order_code, shift, section, quantity, completed)
             values (7, '2026-01-03', 'ORD-1', 'DAY', 'Packing', 40, true);
        """

    /// Fresh databases holding the hand-built state, pulled and built.
    static func builtState(_ prefix: String) throws -> SourceDatabases {
        let sources = try SourceDatabases(prefix)
        try sources.central.connect().execute(centralState)
        let manager = try sources.manager.connect()
        try manager.execute(managerState)
        var pull = CentralPull(configuration: sources.configuration)
        pull.firstBackoff = 0.05
        try pull.run()
        // On two connections, as `build` and `run` build: every figure checked by hand below is the parts'.
        let conninfo = sources.manager.conninfo
        try FactsBuild(files: SourceDatabases.files).run(manager, options: .init(jobs: 2, connect: {
            try Connection.connect(conninfo, applicationName: "mtp-etl build")
        }))
        return sources
    }

    override func setUpWithError() throws {
        sources = try Self.builtState("build")
        central = try sources.central.connect()
        manager = try sources.manager.connect()
    }

    override func tearDown() {
        central = nil
        manager = nil
        sources = nil
    }

    func kilograms(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try manager.query(sql, parameters).rows {
            result[try row.decode(String.self, 0)] = try row.decode(String.self, 1)
        }
        return result
    }

    func testBackwardAttributionByHand() throws {
        // B-1 = a1 50 (TL-A) + b1 30 (TL-B) = 80 kg: TL-A 0.625, TL-B 0.375.
        // B-2 = a2 30 (TL-A) + bb1 20 (BB-1, from B-1) + bb0 10 (BB-0, opening) = 60 kg:
        //       TL-A 30/60 + 20/60 x 0.625 = 0.5 + 0.2083333 = 0.7083333; TL-B 20/60 x 0.375 = 0.125; BB-0 10/60 = 0.1666667.
        // (41,1) = o1 40 (B-1) + o3 25 (B-2): TL-A 25 + 17.708333 = 42.71; TL-B 15 + 3.125 = 18.13 (18.125 rounded); BB-0 4.17.
        // (42,1) = a3 50 direct (TL-A) + o3 20 (B-2): TL-A 50 + 14.166667 = 64.17; TL-B 2.50; BB-0 3.33.
        // (42,2) = o4 10 from B-3, which has no inputs: 10 kg untraced.
        let rows = try kilograms("""
            select request_code || '/' || shipment_code || ' ' || root_kind || ' ' || coalesce(root_code, '-'), round(kg, 2)::text
              from facts.shipment_attribution
            """)
        XCTAssertEqual(rows, [
            "41/1 tealine TL-A": "42.71", "41/1 tealine TL-B": "18.13", "41/1 blendbalance BB-0": "4.17",
            "42/1 tealine TL-A": "64.17", "42/1 tealine TL-B": "2.50", "42/1 blendbalance BB-0": "3.33",
            "42/2 untraced -": "10.00",
            "99/1 tealine TL-A": "55.00",
        ])
        // TL-B reaches (42,1) only through B-1's leftover (BB-1) used in B-2; it reaches (41,1) both directly through
        // B-1 (o1) and that way: the path shown is the first of the ways in text order.
        let path = { (request: Int) in
            try self.manager.query("select path from facts.shipment_attribution where request_code = $1 and shipment_code = 1 and root_code = 'TL-B'",
                                   [request]).first?.decode(String.self, 0)
        }
        XCTAssertEqual(try path(42), "TL-B > B-1 > B-2")
        XCTAssertEqual(try path(41), "TL-B > B-1")
    }

    func testMassBalanceClosesForEveryShipment() throws {
        let open = try FactsChecks.unbalancedShipments(manager)
        XCTAssertEqual(open, 0)
    }

    func testYieldsByHand() throws {
        // B-1: in 80, out o1 40 + o2 36 = 76 -> 95.00 % Excellent, loss 4.
        // B-2: in 60, out 50 -> 83.33 % Fair, loss 10.  B-4: in 10, out 12 -> 120.00 %, flagged.
        // B-3: no input -> no yield.
        let rows = try kilograms("""
            select batch_code, input_kg || ' ' || output_kg || ' ' || coalesce(yield_pct::text, '-') || ' ' || loss_kg || ' '
                   || coalesce(rating, '-') || ' ' || above_100
              from facts.batch_yield where batch_code in ('B-1', 'B-2', 'B-3', 'B-4')
            """)
        XCTAssertEqual(rows, [
            "B-1": "80 76.00 95.00 4.00 Excellent false",
            "B-2": "60 50.00 83.33 10.00 Fair false",
            "B-3": "0 10.00 - -10.00 - false",
            "B-4": "10 12.00 120.00 -2.00 Data error true",
        ])
        // BS-1: batches B-1 and B-4 (2 planned, 2 made, 1 completed); in 90, out 88 = 97.78 %; output 88 vs total 100.
        let sheet = try XCTUnwrap(manager.query("""
            select batches_planned, batches_made, batches_completed, input_kg::text, output_kg::text, yield_pct::text, output_vs_total_kg::text
              from facts.blendsheet_yield where blendsheet_no = 'BS-1'
            """).first)
        XCTAssertEqual(try (0..<7).map { try sheet.decode(String.self, $0) }, ["2", "2", "1", "90", "88.00", "97.78", "-12.00"])
        // Recipe BS-1: TL-A 1 bag x 50 = 50 planned, 50 used (a1); TL-B 1 x 40 = 40 planned, 30 + 10 = 40 used.
        let recipe = try kilograms("select item_code, planned_kg || '/' || actual_kg from facts.blendsheet_ingredient where blendsheet_no = 'BS-1'")
        XCTAssertEqual(recipe, ["TL-A": "50.00/50", "TL-B": "40.00/40"])
    }

    func testReceivingAndRecordBalances() throws {
        // TL-A: 4 x 50 = 200 expected, 4 bags x 50 = 200 received. TL-B: 2 x 40 = 80 expected, 1 bag of 40: -40.
        let receiving = try kilograms("select item_code, bags_received || ' ' || expected_kg || ' ' || received_kg || ' ' || variance_kg from facts.receiving")
        XCTAssertEqual(receiving, ["TL-A": "4 200.00 200.00 0.00", "TL-B": "1 80.00 40.00 -40.00"])
        // b1: 40 net - (30 + 10) = 0; a2: 50 - 30 = 20; o3: 50 - (25 + 20) = 5; o1: 40 - 40 = 0 (its 15 kg parcel is not counted);
        // a4: 50 - 55 = -5 (over-allocated).
        let balances = try kilograms("select barcode::text, remaining_kg::text from facts.record_balance where barcode = any($1::uuid[])",
                                     [[Self.b1, Self.a2, Self.o3, Self.o1, Self.a4]])
        XCTAssertEqual(balances, [Self.b1: "0.00", Self.a2: "20.00", Self.o3: "5.00", Self.o1: "0.00", Self.a4: "-5.00"])
    }

    func testRemainingEqualsCentralsScanRecordForEveryRecord() throws {
        let ours = try manager.query("select record_kind, barcode::text, remaining_kg::text from facts.record_balance").rows
        XCTAssertEqual(ours.count, 17, "5 tealine, 7 blendsheet, 4 blendbalance and 1 herbline bags")
        for row in ours {
            let kind = try row.decode(String.self, 0), barcode = try row.decode(String.self, 1)
            let central = try self.central.query("select (scan_record($1, $2::uuid) ->> 'remaining')::numeric::text", [kind, barcode])
                .first!.decode(String.self, 0)
            XCTAssertEqual(Decimal(string: try row.decode(String.self, 2)), Decimal(string: central), "\(kind) \(barcode)")
        }
    }

    func testOrderFulfilment() throws {
        // ORD-1: plan 100; requested 65; scheduled 40, completed 40; allocated (41,1) 65; nothing dispatched.
        // ORD-2: no plan; requested 80; allocated 70 + 10 = 80; dispatched (42,1) 70 on 2026-01-05.
        let rows = try kilograms("""
            select order_code, coalesce(plan_requirement_kg::text, '-') || ' ' || requested_kg || ' ' || scheduled_kg || ' '
                   || completed_kg || ' ' || allocated_kg || ' ' || dispatched_kg || ' ' || coalesce(last_dispatched_at::date::text, '-')
                   || ' ' || coalesce(on_time::text, '-') || ' ' || coalesce(latest_status, '-')
              from facts.order_fulfilment
            """)
        XCTAssertEqual(rows, ["ORD-1": "100 65 40 40 65 0 - - SHIPMENT_ACCEPTED",
                              "ORD-2": "- 80 0 0 80 70 2026-01-05 - SHIPMENT_DISPATCHED"])
    }

    func testOneFindingOfEveryCheck() throws {
        let found = try kilograms("select check_name || ': ' || keys, message from facts.finding")
        XCTAssertEqual(found["quantity_mismatch: request 41 / shipment 1"], "allocated 65 kg, order_shipment.quantity is 60")
        XCTAssertEqual(found["orphan_allocation: tealine bag \(Self.a4) -> request 99 / shipment 1"], "request 99 does not exist in Manager")
        XCTAssertEqual(found["orphan_parcel_schedule: blendsheet bag \(Self.o3) -> schedule 8"], "parcel allocation names schedule 8, which does not exist in Manager")
        XCTAssertEqual(found["request_without_plan: request 42 / order ORD-2"], "order ORD-2 has no plan in order_plan")
        XCTAssertEqual(found["over_allocated_record: tealine bag \(Self.a4) of TL-A"], "allocated 55 kg of a net 50.00 kg (5.00 kg too much)")
        XCTAssertEqual(found["blocked_batch_shipped: batch B-3 -> request 42 / shipment 2"], "batch B-3 is TRADER_BLOCKED but 10 kg of it are allocated to the shipment")
        XCTAssertEqual(found["location_violation: herbline bag \(Self.h1)"], "herbline record stored in WH-A, not a herbline section")
        XCTAssertEqual(found["dispatched_without_event: blendsheet bag \(Self.o1)"], "bag is DISPATCHED but none of its shipments has a SHIPMENT_DISPATCHED event")
        XCTAssertEqual(found["event_without_dispatched_bags: request 42 / shipment 1"], "2 allocated bag(s) not DISPATCHED although the shipment has a SHIPMENT_DISPATCHED event")
        XCTAssertEqual(found["yield_above_100: batch B-4"], "output 12.00 kg exceeds input 10 kg (yield 120.00 %)")
        XCTAssertTrue(found.keys.contains { $0.hasPrefix("genealogy_cycle: batch B-5") }, "\(found.keys.sorted())")
        XCTAssertEqual(Set(try manager.query("select distinct check_name from facts.finding").rows.map { try $0.decode(String.self, 0) }).count, 11)
    }

    func testRebuildGivesTheSameFacts() throws {
        func digest() throws -> String {
            try ["shipment_attribution", "batch_yield", "record_balance", "order_fulfilment", "finding", "receiving"].map { table in
                try manager.query("select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) from facts.\(table) t").first!.decode(String.self, 0)
            }.joined(separator: ",")
        }
        let first = try digest()
        try FactsBuild(files: SourceDatabases.files).run(manager)
        XCTAssertEqual(try digest(), first)
    }
}

/// `mtp-etl trace` on the same hand-built state, through the command line.
final class TraceTests: XCTestCase {
    var sources: SourceDatabases!
    var manager: Connection!

    override func setUpWithError() throws {
        sources = try FactsBuildTests.builtState("trace")
        manager = try sources.manager.connect()
    }

    override func tearDown() {
        manager = nil
        sources = nil
    }

    func trace(_ arguments: [String]) throws -> CommandLineRun {
        try CommandLineRun.run(["trace"] + arguments, environment: ["MTP_MANAGER_URL": sources.manager.conninfo])
    }

    func testBackwardCSV() throws {
        let run = try trace(["shipment", "41/1", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.components(separatedBy: "\r\n"), [
            "request_code,shipment_code,order_code,root_kind,item_code,created_at,garden,grade,invoice_no,broker,purchase_order,kg,share_pct,path",
            // 42.708333 / 65 = 65.71 %; 18.125 / 65 = 27.88 %; 4.166667 / 65 = 6.41 %
            "41,1,ORD-1,tealine,TL-A,1970-01-01T00:00:01.000Z,Pedro,BOP,INV-A,Forbes,PO-A,42.71,65.71,TL-A > B-1",
            "41,1,ORD-1,tealine,TL-B,1970-01-01T00:00:02.000Z,Kenilworth,FBOP,INV-B,Bartleet,PO-B,18.13,27.88,TL-B > B-1",
            "41,1,ORD-1,blendbalance,BB-0,1970-01-01T00:00:00.900Z,,,,,,4.17,6.41,BB-0 > B-2",
            "",
        ])
        let order = try trace(["order", "ORD-2", "--format", "json"])
        XCTAssertEqual(order.status, 0, order.stderr)
        let answer = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(order.stdout.utf8)) as? [String: Any])
        let json = try XCTUnwrap(answer["rows"] as? [[String: Any]])
        XCTAssertEqual(json.map { "\($0["shipment_code"]!) \($0["root_kind"]!) \($0["kg"]!)" },
                       ["1 tealine 64.17", "1 blendbalance 3.33", "1 tealine 2.5", "2 untraced 10.0"], "largest first, untraced last")
        // The shipments' lots with their share of the 80 kg allocated, and the untraced 10 kg with the reason.
        XCTAssertEqual(answer["question"] as? String, "What went into the shipments of order ORD-2? (backward)")
        XCTAssertEqual((answer["lots"] as? [[String: Any]])?.map { "\($0["item_code"]!) \($0["kg"]!) \($0["share_pct"]!)" },
                       ["TL-A 64.17 80.21", "BB-0 3.33 4.17", "TL-B 2.5 3.13"])
        let untraced = try XCTUnwrap(answer["untraced"] as? [String: Any])
        XCTAssertEqual(untraced["kg"] as? Double, 10)
        XCTAssertEqual(untraced["reason"] as? String, "batch B-3 has no recorded inputs")
    }

    func testForwardOfALotByHand() throws {
        // TL-A: a1 50 kg of B-1's 80 (0.625); a2 30 kg of B-2's 60 (0.5); B-2 also holds 20/60 of B-1 through BB-1,
        // so TL-A is 0.5 + 0.625/3 = 0.708333 of B-2. a3 goes to (42,1) directly (50), a4 to (99,1) directly (55).
        // (41,1): o1 40 x 0.625 + o3 25 x 0.708333 = 42.71 kg, 21.35 % of TL-A's 200 kg received.
        // (42,1): 50 + o3 20 x 0.708333 = 64.17 kg, 32.08 %.  (99,1): 55 kg, 27.50 %.
        let run = try trace(["lot", "TL-A", "--format", "csv"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let rows = run.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        XCTAssertEqual(rows.map { [$0[2], $0[3], $0[6], $0[7]] }, [["41", "1", "42.71", "21.35"], ["42", "1", "64.17", "32.08"], ["99", "1", "55.00", "27.50"]])
        XCTAssertEqual(rows[0][8], "B-1; B-1 > B-2", "the batches between")
        XCTAssertEqual(rows[1][10], "2026-01-05T00:00:00.000Z", "dispatched at")

        let bag = try trace(["barcode", FactsBuildTests.a2, "--format", "csv"])
        // a2: 30 kg of B-2's 60 -> (41,1) 25 x 0.5 = 12.50; (42,1) 20 x 0.5 = 10.00.
        XCTAssertEqual(bag.stdout.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            .map { $0.split(separator: ",").map(String.init)[6] }, ["12.50", "10.00"])
    }

    func testUnknownAndAmbiguousKeysAreRefused() throws {
        let unknown = try trace(["lot", "TL-NOPE"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no lot TL-NOPE"), unknown.stderr)
        XCTAssertEqual(try trace(["shipment", "77/1"]).status, 2)
        XCTAssertEqual(try trace(["order", "ORD-NONE"]).status, 2)
        try manager.execute("insert into snapshot.tealine (item_code, created_ts, no_of_bags, weight_per_bag) values ('TL-A', 9000, 1, 1)")
        let ambiguous = try trace(["lot", "TL-A"])
        XCTAssertEqual(ambiguous.status, 2)
        XCTAssertTrue(ambiguous.stderr.contains("TL-A, tealine, created 1970-01-01 00:00: trace lot TL-A@1000")
                      && ambiguous.stderr.contains("TL-A, tealine, created 1970-01-01 00:00: trace lot TL-A@9000"), ambiguous.stderr)
        XCTAssertEqual(try trace(["lot", "TL-A@1000", "--format", "csv"]).status, 0)
        // Named as people read it: the code, and its creation in the report's zone because two lots share it.
        let named = try trace(["lot", "TL-A@1000", "--format", "json", "--timezone", "Asia/Colombo"])
        XCTAssertTrue(named.stdout.contains("\"question\": \"Where did tealine lot TL-A (created 1970-01-01 05:30) go? (forward)\""), named.stdout)
        XCTAssertFalse(named.stdout.contains("TL-A@"), named.stdout)
    }
}
