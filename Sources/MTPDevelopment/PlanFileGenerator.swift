import Foundation
import MTPPipeline
import Postgres

/// A small, fast, seedable random number generator (SplitMix64): the same seed gives the same sequence everywhere.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Writes planning CSV files for tests and benchmarks: deterministic for a seed, streamed to disk.
public struct PlanFileGenerator: Sendable {
    /// Data rows to write.
    public var rows: Int
    /// The seed of the values (order codes do not depend on it).
    public var seed: UInt64
    /// Share of rows with a deliberate error (0...1), spread evenly.
    public var rejectShare: Double
    /// Write a revision: the same order codes with other requirements and dates.
    public var revision: Bool
    /// Only ISO dates and plain integers (values that SQL casts read), for benchmarks against psql.
    public var plain: Bool

    /// A generator.
    public init(rows: Int, seed: UInt64 = 1, rejectShare: Double = 0, revision: Bool = false, plain: Bool = false) {
        self.rows = rows
        self.seed = seed
        self.rejectShare = rejectShare
        self.revision = revision
        self.plain = plain
    }

    static let products = ["Earl Grey 100g", "English Breakfast 250g", "Ceylon BOP 1kg", "Green Mint 50 bags",
                           "Chamomile 25 bags", "Darjeeling FTGFOP 500g", "Masala Chai 200g", "Lemon Ginger 20 bags"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Writes the file; returns the number of data rows written.
    @discardableResult
    public func write(to file: URL) throws -> Int {
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        guard let handle = try? FileHandle(forWritingTo: file) else {
            throw PipelineError(.operational, "cannot write \(file.path)")
        }
        defer { try? handle.close() }
        var random = SeededRandom(seed: revision ? seed &+ 0x5EED : seed)
        var buffer = "order_code,product_name,requirement,plan_start,plan_end,planner\n"
        let rejectEvery = rejectShare > 0 ? max(1, Int((1 / rejectShare).rounded())) : 0
        for index in 1...max(rows, 1) where rows > 0 {
            let product = Self.products[Int(random.next() % UInt64(Self.products.count))]
            let requirement = 100 + Int(random.next() % 20_000)
            let startDay = 20_454 + Int(random.next() % 365)   // 2026-01-01 + up to a year
            let start = PostgresDate(daysSinceEpoch: startDay)
            let end = PostgresDate(daysSinceEpoch: startDay + 7 + Int(random.next() % 60))
            let style = plain ? 0 : random.next() % 3
            func format(_ date: PostgresDate) -> String {
                switch style {
                case 0: return date.postgresText
                case 1: return "\(date.day)/\(date.month)/\(date.year)"
                default: return "\(date.day)-\(Self.months[date.month - 1])-\(date.year)"
                }
            }
            var requirementText = requirement >= 1000 && style == 1 ? "\"\(requirement / 1000),\(String(format: "%03d", requirement % 1000))\"" : String(requirement)
            var endText = format(end)
            if rejectEvery > 0, index % rejectEvery == 0 {
                switch (index / rejectEvery) % 3 {
                case 0: requirementText = "12.5"
                case 1: endText = format(PostgresDate(daysSinceEpoch: startDay - 3))
                default: endText = "31/02/2026"
                }
            }
            buffer += "ORD-\(String(format: "%07d", index)),\(product),\(requirementText),\(format(start)),\(endText),planner \(index % 17)\n"
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
        return rows
    }
}
