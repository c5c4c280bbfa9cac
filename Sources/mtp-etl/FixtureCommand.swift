import ArgumentParser

/// `mtp-etl fixture`: the two source systems, recreated for the demo, the tests and the benchmarks.
struct FixtureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture",
        abstract: "Recreate the source systems (Manager, Central) locally and load saved states into them.",
        subcommands: [FixtureCreateCommand.self, FixtureLoadCommand.self]
    )
}
