import Postgres

/// What a backward trace's shipments are made of: each root lot's kilograms and share of them, the lots of less
/// than 0.005 kg in a shipment together, and what reaches no lot (untraced) with the reason: a batch without
/// recorded inputs, a genealogy loop, or a blend bag the snapshot does not have.
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

    /// The lots of less than 0.005 kg each in a shipment, together (DESIGN.md, "Attribution").
    public struct SmallLots: Sendable, Equatable {
        /// How many lots: every root lot of the shipments' genealogy that none of them lists, each once.
        public var lots: Int
        /// Their kilograms.
        public var kg: Double
        /// Their share of the shipments' kilograms.
        public var share: Double
    }

    /// All kilograms allocated to the shipments.
    public var allocatedKg: Double
    /// The root lots, largest first.
    public var lots: [Lot]
    /// The lots too small to list, when there are any.
    public var small: SmallLots?
    /// Kilograms that reach no lot.
    public var untracedKg: Double
    /// Why, in words; nil when nothing is untraced.
    public var untracedReason: String?

    /// The composition of a backward scope's shipments (`sql/trace/composition.sql`, `untraced_reasons.sql`).
    static func query(_ parameters: [(any PostgresEncodable)?], sql: SQLStatements, connection: Connection) throws -> ShipmentComposition {
        let rows = try connection.query(try sql.text("composition"), parameters).rows
        let reasons = try connection.query(try sql.text("untraced_reasons"), parameters).first?.decode(String?.self, 0)
        var lots: [Lot] = [], small: SmallLots?, untraced = 0.0, total = 0.0
        for row in rows {
            let kind = try row.decode(String.self, 0), kg = try row.decode(Double.self, 2)
            total += kg
            if kind == "untraced" { untraced += kg; continue }
            if kind == "small" {
                small = SmallLots(lots: try row.decode(Int.self, 4), kg: kg, share: try row.decode(Double?.self, 3) ?? 0)
                continue
            }
            lots.append(Lot(kind: kind, code: try row.decode(String.self, 1), kg: kg, share: try row.decode(Double?.self, 3) ?? 0))
        }
        return ShipmentComposition(allocatedKg: total, lots: lots, small: small, untracedKg: untraced,
                                   untracedReason: untraced == 0 ? nil : (reasons ?? "part of the genealogy could not be followed"))
    }
}
