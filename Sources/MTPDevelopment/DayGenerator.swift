import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl generate day`: the next day of a generated factory, added to a live Central and Manager.
///
/// The day is the units after the last one Central holds (72, one every 20 minutes), made by the parts of a
/// state's generation (`sql/generate/state/`): Central's part runs in Central with its triggers on, so every
/// record and allocation passes Central's own rules; what Central allocated to the day's shipments is copied
/// to Manager (COPY, as data), whose part adds the requests, shipments, events, schedules and plans. Besides
/// the new rows the day reaches back: the last batch before it leaves the balance its first batch takes (an
/// old time stamp arriving late), a week-old batch's allocation is corrected in place (`day_central.sql`) and
/// the plan of yesterday's order revised (`day_manager.sql`). Deterministic: the same state and seed give the same day. For tests,
/// benchmarks and the demo, never for a real Central (the scripts write to it).
public struct DayGenerator: Sendable {
    /// What a day added.
    public struct Result: Sendable, Equatable {
        /// The day's first and last unit.
        public var units: ClosedRange<Int>
        /// Bags (records) of every kind Central holds after it.
        public var bags: Int
        /// Records the day added.
        public var bagsAdded: Int
        /// Seconds taken.
        public var seconds: Double
    }

    /// Units in a day: one every 20 minutes.
    public static let unitsPerDay = 72

    /// The project's files.
    public var files: ProjectFiles
    /// Where Central and Manager are.
    public var configuration: DatabaseConfiguration

    /// A generator writing to the databases of `configuration`.
    public init(files: ProjectFiles, configuration: DatabaseConfiguration) {
        self.files = files
        self.configuration = configuration
    }

    /// Adds the next `units` units (a day by default) for `seed`, with the day's corrections to earlier days
    /// unless `corrections` is false: all of it or, on any error, nothing.
    public func addDay(seed: String = "1", units: Int = Self.unitsPerDay, corrections: Bool = true) throws -> Result {
        guard units >= 1 else { throw PipelineError(.refused, "--units \(units): a day needs at least one unit") }
        let started = Date()
        let parts = try ["units", "central", "allocations", "manager", "day_central", "day_manager"].map { try StateGenerator.part($0, files) }
        return try Connection.withConnection(configuration.central, applicationName: "mtp-etl generate day") { central in
            try Connection.withConnection(configuration.manager, applicationName: "mtp-etl generate day") { manager in
                // Central's transaction inside Manager's: Central commits first. Were Manager's commit then to
                // fail, Central would hold the day without Manager's requests, as if Manager were late.
                try manager.withTransaction { manager in
                    try central.withTransaction { central in
                        // One day at a time: a second `generate day` waits, then adds the day after this one.
                        try central.query("select pg_advisory_xact_lock(hashtext('mtp-etl generate day'))")
                        let first = try nextUnit(central)
                        let range = first...(first + units - 1)
                        try refuseTaken(range, manager)
                        let before = try StateGenerator.bagCount(central)
                        let settings = ["first_unit": String(range.lowerBound), "units": String(range.upperBound), "seed": seed]
                        try StateGenerator.apply(settings, central)
                        try central.execute(parts[0] + "\n" + parts[1] + (corrections ? "\n" + parts[4] : ""))
                        try StateGenerator.apply(settings, manager)
                        try manager.execute(parts[0])
                        try manager.execute("create temp table unit_allocation (request_code bigint, shipment_code integer, kg numeric)")
                        _ = try manager.copyIn("copy unit_allocation from stdin") { writer in
                            _ = try central.copyOut("copy (\(parts[2])) to stdout") { try writer.write($0) }
                        }
                        try manager.execute(parts[3] + (corrections ? "\n" + parts[5] : ""))
                        let after = try StateGenerator.bagCount(central)
                        return Result(units: range, bags: after, bagsAdded: after - before, seconds: Date().timeIntervalSince(started))
                    }
                }
            }
        }
    }

    /// The unit after the last generated batch (B-<unit>) Central holds; refuses a Central of another state.
    private func nextUnit(_ central: Connection) throws -> Int {
        guard try central.query("select to_regclass('public.blendsheet_batch') is not null").first!.decode(Bool.self, 0) else {
            throw PipelineError(.refused, "Central (\(configuration.centralDescription)) has no blendsheet_batch table: load a Central fixture first")
        }
        // A generated state holds B-1 .. B-<last unit>, every one of them, and no other batch.
        let row = try central.query("""
            select coalesce(max(substr(item_code, 3)::int) filter (where item_code ~ '^B-[0-9]{1,9}$'), 0),
                   count(*) filter (where item_code ~ '^B-[0-9]{1,9}$'), count(*)
              from blendsheet_batch
            """).first!
        let last = try row.decode(Int.self, 0)
        guard try row.decode(Int.self, 1) == last, try row.decode(Int.self, 2) == last else {
            throw PipelineError(.refused, "Central (\(configuration.centralDescription)) is not a state of `generate state` (its batches are not B-1 .. B-\(last), each once): a day is added only to one")
        }
        return last + 1
    }

    /// Refuses a day whose request codes Manager already holds (a Manager of another state).
    private func refuseTaken(_ range: ClosedRange<Int>, _ manager: Connection) throws {
        let taken = try manager.query("select min(request_code) from order_request where request_code between $1 and $2",
                                      [String(range.lowerBound), String(range.upperBound)]).first!.decode(Int64?.self, 0)
        if let taken {
            throw PipelineError(.refused, "Manager (\(configuration.managerDescription)) already holds request \(taken) of the day's units \(range.lowerBound)-\(range.upperBound): it is not the Manager of this Central's state")
        }
    }
}
