import Foundation
import MTPDevelopment
import Postgres

/// Random changes to Central (through its triggers and keys: a change they refuse is not applied) and to
/// Manager's order tables, of every kind an incremental build has to find: new lots and bags, late inputs into
/// finished batches, new blendbalance levels, a loop made and unmade, corrections deleting allocations and
/// parcels, status and weight updates, new and removed events, plan revisions, requests before their plan.
/// Which rows a change touches is chosen by md5 of the seed, the step and the row's key: a seed gives the same
/// sequence.
struct RandomChanges {
    /// The seed of the sequence.
    var seed: UInt64
    /// Central's database.
    var central: Connection
    /// Manager's database.
    var manager: Connection
    private var random: SeededRandom

    init(seed: UInt64, central: Connection, manager: Connection) {
        self.seed = seed
        self.central = central
        self.manager = manager
        random = SeededRandom(seed: seed)
    }

    /// The kinds of change, each as the statements that make it (`$salt` picks the rows, `$n` names new ones,
    /// `$store` is a store location for bags other than herbline).
    static let kinds: [(name: String, central: Bool, sql: [String])] = [
        ("new lot and bags", true, ["""
            insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
            values ('TL-R$n', 100000 + $n, 'INV-$n', 'BOP', 3, 20, 'broker', 'garden', 'PO-$n')
            """, """
            insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select md5('bag' || $n || '-' || g)::uuid, 'TL-R$n', 100000 + $n, 100000 + $n, l.location_name, 0.5, 20.5, 'ACCEPTED', 20
              from generate_series(1, 2) g, $store l
            """]),
        ("late input into a finished batch", true, ["""
            insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
            select r.barcode, b.item_code, b.created_ts, 1.25
              from (select barcode from tealine_record order by md5(barcode::text || '$salt') limit 1) r,
                   (select item_code, created_ts from blendsheet_batch order by md5(item_code || created_ts || '$salt') limit 1) b
            on conflict do nothing
            """]),
        ("new blendbalance level", true, ["""
            insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
            select 'BB-R$n', 200000 + $n, 'BLD', 6, barcode::text
              from blendsheet_record order by md5(barcode::text || '$salt') limit 1
            """, """
            insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select md5('balance' || $n)::uuid, 'BB-R$n', 200000 + $n, 200000 + $n, l.location_name, 0.5, 5.5, 'ACCEPTED', 5
              from $store l
            """, """
            insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, trader_status)
            select 'B-R$n', 200000 + $n, blendsheet_no, true, 'TRADER_ALLOWED' from blendsheet order by md5(blendsheet_no || '$salt') limit 1
            """, """
            insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount) values (md5('balance' || $n)::uuid, 'B-R$n', 200000 + $n, 5)
            """, """
            insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select md5('output' || $n)::uuid, 'B-R$n', 200000 + $n, 200001 + $n, l.location_name, 0.2, 4.9, 'ACCEPTED', 4.7
              from $store l
            """]),
        ("loop made", true, ["""
            insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
            select 'BB-L$n', 300000 + $n, 'BLD', 3, o.barcode::text
              from blendsheet_record o order by md5(o.barcode::text || '$salt') limit 1
            """, """
            insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select md5('loop' || $n)::uuid, 'BB-L$n', 300000 + $n, 300000 + $n, l.location_name, 0.5, 3.5, 'ACCEPTED', 3
              from $store l
            """, """
            insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
            select md5('loop' || $n)::uuid, o.item_code, o.created_ts, 2
              from blendbalance b join blendsheet_record o on o.barcode::text = b.transfer_id
             where b.item_code = 'BB-L$n'
            """]),
        ("loop unmade", true, ["""
            delete from blendbalance_allocate_blendsheet a
             using blendbalance_record r, blendbalance b, blendsheet_record o
             where r.barcode = a.barcode and b.item_code = r.item_code and b.created_ts = r.created_ts
               and o.barcode::text = lower(b.transfer_id) and o.created_ts >= a.created_ts
               and a.barcode = (select a2.barcode from blendbalance_allocate_blendsheet a2 order by md5(a2.barcode::text || '$salt') limit 1)
            """]),
        ("shipment allocation and its parcels deleted", true, ["""
            delete from blendsheet_allocate_parcel p
             using (select barcode, request_code, shipment_code from blendsheet_allocate_shipment order by md5(barcode::text || '$salt') limit 1) s
             where p.barcode = s.barcode and p.request_code = s.request_code and p.shipment_code = s.shipment_code
            """, """
            delete from blendsheet_allocate_shipment
             where (barcode, request_code, shipment_code) in
                   (select barcode, request_code, shipment_code from blendsheet_allocate_shipment order by md5(barcode::text || '$salt') limit 1)
            """]),
        ("parcel deleted", true, ["""
            delete from tealine_allocate_parcel
             where (barcode, request_code, shipment_code, schedule_code) in
                   (select barcode, request_code, shipment_code, schedule_code from tealine_allocate_parcel order by md5(barcode::text || '$salt') limit 1)
            """]),
        ("blend allocation deleted", true, ["""
            delete from tealine_allocate_blendsheet
             where (barcode, item_code, created_ts) in
                   (select barcode, item_code, created_ts from tealine_allocate_blendsheet order by md5(barcode::text || item_code || '$salt') limit 1)
            """]),
        ("new shipment allocation", true, ["""
            insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
            select o.barcode, s.request_code, s.shipment_code, 1.5, 1.5
              from (select barcode from blendsheet_record order by md5(barcode::text || '$salt') limit 1) o,
                   (select distinct request_code, shipment_code from tealine_allocate_shipment
                    union select distinct request_code, shipment_code from blendsheet_allocate_shipment order by 1, 2 limit 1) s
            on conflict do nothing
            """]),
        ("status updated", true, ["""
            update blendsheet_record set status = (array['ACCEPTED', 'IN_PROCESS', 'PROCESSED', 'DISPATCHED'])[1 + $n % 4]
             where barcode = (select barcode from blendsheet_record order by md5(barcode::text || '$salt') limit 1)
            """]),
        ("weight corrected", true, ["""
            update tealine_record set gross_weight = gross_weight + 0.75
             where barcode = (select barcode from tealine_record order by md5(barcode::text || '$salt') limit 1)
            """]),
        ("store location's section changed", true, ["""
            update store_location set herbline_section = not herbline_section
             where location_name = (select location_name from store_location order by md5(location_name || '$salt') limit 1)
            """]),
        ("batch blocked or allowed", true, ["""
            update blendsheet_batch set trader_status = case when trader_status = 'TRADER_BLOCKED' then 'TRADER_ALLOWED' else 'TRADER_BLOCKED' end
             where (item_code, created_ts) = (select item_code, created_ts from blendsheet_batch order by md5(item_code || created_ts || '$salt') limit 1)
            """]),
        ("dispatch event", false, ["""
            insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
            select request_code, shipment_code, 'SHIPMENT_DISPATCHED', 500000 + $n, 'TRUCK-$n'
              from order_shipment order by md5(request_code || '-' || shipment_code || '$salt') limit 1
            """]),
        ("event removed", false, ["""
            delete from order_shipment_event where ctid = (select ctid from order_shipment_event order by md5(ctid::text || '$salt') limit 1)
            """]),
        ("plan revised", false, ["""
            update order_plan set requirement = requirement + 10, plan_end = plan_end + 1
             where order_code = (select order_code from order_plan order by md5(order_code || '$salt') limit 1)
            """]),
        ("request before its plan", false, ["""
            insert into order_request (request_code, order_code, product_name, requirement, comments)
            values (900000 + $n, 'ORD-R$n', 'Product $n', 100, null)
            """, """
            insert into order_shipment (request_code, shipment_code, quantity) values (900000 + $n, 1, 50)
            """]),
        ("plan for an earlier request", false, ["""
            insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
            select q.order_code, q.product_name, q.requirement, date '2026-01-01', date '2026-02-01'
              from order_request q where not exists (select 1 from order_plan p where p.order_code = q.order_code)
             order by md5(q.order_code || '$salt') limit 1
            """]),
    ]

    /// A store location outside the herbline sections (Central's rule for every bag but herbline's).
    static let store = "(select location_name from store_location where not herbline_section order by location_name limit 1)"

    /// Applies a random sequence of one to three changes, between two builds; returns their kinds.
    mutating func applySequence(_ sequence: Int) throws -> [String] {
        let length = 1 + Int(random.next() % 3)
        return try (0..<length).map { try apply(step: sequence * 10 + $0) }
    }

    /// Applies one random change (in one transaction, or not at all when a rule refuses it); returns its kind.
    mutating func apply(step: Int) throws -> String {
        let kind = Self.kinds[Int(random.next() % UInt64(Self.kinds.count))]
        let n = Int(random.next() % 1_000_000) * 1000 + step
        let salt = "\(seed)-\(step)"
        let connection = kind.central ? central : manager
        do {
            try connection.withTransaction { connection in
                for statement in kind.sql {
                    try connection.execute(statement.replacingOccurrences(of: "$salt", with: salt).replacingOccurrences(of: "$store", with: Self.store)
                        .replacingOccurrences(of: "$n", with: String(n)))
                }
            }
            return kind.name
        } catch is PostgresError {
            return kind.name + " (refused by a rule)"
        }
    }
}
