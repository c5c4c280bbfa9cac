import ArgumentParser

/// `mtp-etl generate`: deterministic data for tests, demos and benchmarks.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate deterministic data for tests, demos and benchmarks.",
        subcommands: [GeneratePlansCommand.self, GenerateStateCommand.self, GenerateDayCommand.self, GenerateDemoCommand.self]
    )
}
