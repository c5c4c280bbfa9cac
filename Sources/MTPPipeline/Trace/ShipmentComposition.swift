import Postgres

/// What a backward trace's shipments are made of: each root lot's kilograms and share of them, and what reaches
/// no lot (untraced) with the reason: a batch without recorded inputs, a genealogy loop, or a blend bag the
/// snapshot does not have.
public struct ShipmentComposition: Sendable, Equatable {
    /// One root lot.
    public struct Lot: Sendable, Equatable {
        /// `tealine` or `blendbalance` (an opening balance).
        public var kind: String
        /// Its code.
        public var code: String
        /// Its kilograms in the shipments.
        public var kg: Double
        /// Its share of the shipments' kilograms.
        public var share: Double
    }

    /// All kilograms allocated to the shipments.
    public var allocatedKg: Double
    /// The root lots, largest first.
    public var lots: [Lot]
    /// Kilograms that reach no lot.
    public var untracedKg: Double
    /// Why, in words; nil when nothing is untraced.
    public var untracedReason: String?

    /// The composition of the shipments matching `condition` (on request and shipment codes `s`).
    static func query(shipments condition: String, parameters: [(any PostgresEncodable)?], connection: Connection) throws -> ShipmentComposition {
        let chosen = """
            chosen as (
                select distinct s.request_code, s.shipment_code
                  from (select request_code, shipment_code from facts.edge_record_shipment
                        union select request_code, shipment_code from facts.shipment) s
                 where \(condition)
            )
            """
        let rows = try connection.query("""
            with \(chosen),
            attributed as (
                select a.root_kind, a.root_code, sum(a.kg) as kg
                  from facts.shipment_attribution a
                  join chosen c on c.request_code = a.request_code and c.shipment_code = a.shipment_code
                 group by a.root_kind, a.root_code
            )
            select root_kind, coalesce(root_code, ''), kg::float8, (kg / nullif(sum(kg) over (), 0))::float8
              from attributed
             order by root_kind = 'untraced', kg desc, root_code
            """, parameters).rows
        let reasons = try connection.query("""
            with \(chosen),
            untraced as (
                select a.request_code, a.shipment_code
                  from facts.shipment_attribution a
                  join chosen c on c.request_code = a.request_code and c.shipment_code = a.shipment_code
                 where a.root_kind = 'untraced'
            ),
            bags as (
                select e.barcode, o.batch_code, o.batch_ts
                  from untraced u
                  join facts.edge_record_shipment e on e.request_code = u.request_code and e.shipment_code = u.shipment_code
                  left join facts.edge_batch_output o on o.barcode = e.barcode
                 where e.record_kind = 'blendsheet'
            ),
            reasons as (
                select distinct
                       case when b.batch_code is null then 'a blend bag of the shipment is not in the snapshot'
                            when not exists (select 1 from facts.batch_input i where i.batch_code = b.batch_code and i.batch_ts = b.batch_ts)
                                 then 'batch ' || b.batch_code || ' has no recorded inputs'
                            when exists (select 1 from facts.batch_walk w where w.top_code = b.batch_code and w.top_ts = b.batch_ts and w.is_cycle)
                                 then 'the genealogy of batch ' || b.batch_code || ' loops back on itself'
                       end as reason
                  from bags b
            )
            select string_agg(reason, '; ' order by reason) from reasons where reason is not null
            """, parameters).first?.decode(String?.self, 0)
        var lots: [Lot] = [], untraced = 0.0, total = 0.0
        for row in rows {
            let kind = try row.decode(String.self, 0), kg = try row.decode(Double.self, 2)
            total += kg
            if kind == "untraced" { untraced += kg; continue }
            lots.append(Lot(kind: kind, code: try row.decode(String.self, 1), kg: kg, share: try row.decode(Double?.self, 3) ?? 0))
        }
        return ShipmentComposition(allocatedKg: total, lots: lots, untracedKg: untraced,
                                   untracedReason: untraced == 0 ? nil : (reasons ?? "part of the genealogy could not be followed"))
    }
}
