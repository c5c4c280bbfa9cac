import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline

/// `mtp-etl generate day`: the next day of a generated state, added to its Central and Manager.
struct GenerateDayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "day",
        abstract: "Add the next day of a generated factory (loaded with `fixture load`) to its Central and Manager, through Central's own triggers.",
        discussion: """
            The day is the units after the last one Central holds: lots, bags, batches, balances, shipments, \
            requests, events, schedules and plans, and the balance the day before leaves for it. All or nothing. \
            The same state and seed give the same day. For tests, benchmarks and demos: it writes to Central.
            """)

    @OptionGroup var databases: DatabaseOptions

    @Option(help: "Seed of the values (the state's, for a day like its others).")
    var seed = "1"

    @Option(help: "Units in the day, one every 20 minutes, about 205 bags each.")
    var units = DayGenerator.unitsPerDay

    func validate() throws {
        guard (1...10_000).contains(units) else { throw ValidationError("--units \(units): give 1 to 10000 (72 is a day)") }
    }

    func run() throws {
        try CommandEdge.run {
            let generator = DayGenerator(files: try ProjectFiles.locate(), configuration: try databases.resolve())
            let result = try generator.addDay(seed: seed, units: units)
            print("added units \(result.units.lowerBound)-\(result.units.upperBound): \(result.bagsAdded) bags, \(result.bags) in all, in \(String(format: "%.1f", result.seconds)) s")
        }
    }
}
