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

    /// The mass balance of a forward scope's bags (`sql/trace/mass_balance.sql`).
    static func query(_ parameters: [(any PostgresEncodable)?], sql: SQLStatements, connection: Connection) throws -> MassBalance {
        guard let row = try connection.query(try sql.text("mass_balance"), parameters).first else {
            throw PipelineError(.operational, "mass_balance.sql returned no row")
        }
        let value = { (index: Int) in try row.decode(Double?.self, index) ?? 0 }
        let received = try value(0)
        let parts = try (1...5).map(value)
        return MassBalance(receivedKg: received, shippedKg: parts[0], inStoreKg: parts[1], inBlendStockKg: parts[2],
                           inBalanceStockKg: parts[3], processLossKg: parts[4],
                           unaccountedKg: ((received - parts.reduce(0, +)) * 1_000_000).rounded() / 1_000_000,
                           allocationGapKg: try value(6))
    }
}
