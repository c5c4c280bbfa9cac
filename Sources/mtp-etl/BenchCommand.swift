import ArgumentParser

/// `mtp-etl bench`: the pieces the benchmark scripts time against their peers (hidden from help).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark helpers used by scripts/bench-*.",
        shouldDisplay: false,
        subcommands: [BenchCopyInCommand.self, BenchXLSXCommand.self]
    )
}
