import Postgres

/// Where every kilogram of a lot went (a forward trace), part by part (DOMAIN.md, "Mass balance of a lot"):
/// received = shipped + in store + in stock inside blend bags + in blendbalance stock + process loss +
/// unaccounted. Through every batch the lot reaches, its share f of the batch's input (the forward trace's own,
/// through any number of balances) takes f of the batch's loss and of each of its output bags.
public struct MassBalance: Sendable, Equatable {
    /// Net kg of the lot's bags.
    public var receivedKg: Double
    /// Shipped to customers, directly and inside blends (the trace's rows added up).
    public var shippedKg: Double
    /// Still in store: what is left unallocated in the lot's own bags.
    public var inStoreKg: Double
    /// In stock inside blend output bags (not allocated to a shipment, not turned into a balance).
    public var inBlendStockKg: Double
    /// In blendbalance stock: what is left unallocated in the balances the lot's batches left.
    public var inBalanceStockKg: Double
    /// The lot's share of each batch's input minus output, at every level (negative where a batch gave out more).
    public var processLossKg: Double
    /// Whatever fits none of the parts above: received minus them.
    public var unaccountedKg: Double
    /// Of which bags allocated beyond their net weight (negative) or short of it: over-allocated bags, and
    /// leftover bags whose balance holds other than their weight. Found on its own, so that where it equals the
    /// unaccounted kg the balance is proven to close.
    public var allocationGapKg: Double

    /// The parts as a reader sees them, in order: name, kg, what it is.
    public var parts: [(name: String, kg: Double, note: String)] {
        [("Shipped", shippedKg, "to customers' shipments, directly and inside blends"),
         ("In store", inStoreKg, "left in the lot's own bags"),
         ("In stock inside blend bags", inBlendStockKg, "the lot's share of blend bags not yet shipped"),
         ("In blendbalance stock", inBalanceStockKg, "the lot's share of balances not yet used"),
         ("Process loss", processLossKg, "the lot's share of each batch's input minus its output"),
         ("Unaccounted", unaccountedKg, "bags allocated beyond or short of their weight: \(Genealogy.kilograms(allocationGapKg))")]
    }

    /// The share of received that the named parts account for: 1 - |unaccounted| / received.
    public var accountedFor: Double {
        receivedKg == 0 ? 1 : 1 - abs(unaccountedKg) / receivedKg
    }

    /// The mass balance of the bags matching `condition` (on `facts.record r`).
    static func query(bags condition: String, parameters: [(any PostgresEncodable)?], connection: Connection) throws -> MassBalance {
        let row = try connection.query(sql(bags: condition), parameters).first!
        let value = { (index: Int) in try row.decode(Double?.self, index) ?? 0 }
        let received = try value(0)
        let parts = try (1...5).map(value)
        return MassBalance(receivedKg: received, shippedKg: parts[0], inStoreKg: parts[1], inBlendStockKg: parts[2],
                           inBalanceStockKg: parts[3], processLossKg: parts[4],
                           unaccountedKg: ((received - parts.reduce(0, +)) * 1_000_000).rounded() / 1_000_000,
                           allocationGapKg: try value(6))
    }

    static func sql(bags condition: String) -> String {
        """
        with \(TraceQuery.reachedSQL(bags: condition)),
        own as (
            -- The lot's own bags: net = shipment and batch allocations + remaining (negative: allocated beyond).
            select sum(b.net_kg) as received_kg,
                   sum(coalesce((select sum(s.kg) from facts.edge_record_shipment s
                                  where s.barcode = b.barcode and s.record_kind = b.record_kind), 0)) as shipped_kg,
                   sum(greatest(rb.remaining_kg, 0)) as in_store_kg, sum(least(rb.remaining_kg, 0)) as gap_kg
              from bags b
              join facts.record_balance rb on rb.barcode = b.barcode and rb.record_kind = b.record_kind
        ),
        balances as (
            -- A leftover bag turned into a balance: the balance's bags, what is left of them, and what was
            -- allocated beyond them.
            select s.source_barcode, sum(r.net_kg) as kg, sum(greatest(rb.remaining_kg, 0)) as stock_kg,
                   sum(least(rb.remaining_kg, 0)) as gap_kg
              from fraction fr
              join facts.edge_balance_source s on s.source_batch_code = fr.batch_code and s.source_batch_ts = fr.batch_ts
              join facts.record r on r.record_kind = 'blendbalance' and r.item_code = s.balance_code and r.created_ts = s.balance_ts
              join facts.record_balance rb on rb.barcode = r.barcode
             group by s.source_barcode
        ),
        outputs as (
            select fr.batch_code, fr.batch_ts, fr.f, o.kg as net_kg, rb.remaining_kg,
                   coalesce((select sum(s.kg) from facts.edge_record_shipment s
                              where s.barcode = o.barcode and s.record_kind = 'blendsheet'), 0) as shipped_kg,
                   b.kg as balance_kg, b.stock_kg as balance_stock_kg, b.gap_kg as balance_gap_kg
              from fraction fr
              join facts.edge_batch_output o on o.batch_code = fr.batch_code and o.batch_ts = fr.batch_ts
              join facts.record_balance rb on rb.barcode = o.barcode
              left join balances b on b.source_barcode = o.barcode
        ),
        through_batches as (
            select sum(f * shipped_kg) as shipped_kg,
                   sum(f * greatest(remaining_kg, 0)) filter (where balance_kg is null) as blend_stock_kg,
                   sum(f * balance_stock_kg) as balance_stock_kg,
                   coalesce(sum(f * least(remaining_kg, 0)) filter (where balance_kg is null), 0)
                   + coalesce(sum(f * (net_kg - shipped_kg - balance_kg + balance_gap_kg)) filter (where balance_kg is not null), 0) as gap_kg
              from outputs
        ),
        loss as (
            select sum(fr.f * (y.input_kg - y.output_kg)) as kg
              from fraction fr
              join facts.batch_yield y on y.batch_code = fr.batch_code and y.batch_ts = fr.batch_ts
        )
        select o.received_kg::float8, (o.shipped_kg + coalesce(t.shipped_kg, 0))::float8, o.in_store_kg::float8,
               coalesce(t.blend_stock_kg, 0)::float8, coalesce(t.balance_stock_kg, 0)::float8, coalesce(l.kg, 0)::float8,
               (o.gap_kg + coalesce(t.gap_kg, 0))::float8
          from own o cross join through_batches t cross join loss l
        """
    }
}
