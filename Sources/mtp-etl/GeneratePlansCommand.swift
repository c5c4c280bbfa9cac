import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline

/// `mtp-etl generate plans --rows N --out FILE`: a planning CSV (deterministic for a seed).
struct GeneratePlansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "plans", abstract: "Write a planning CSV file of N rows.")

    @Option(help: "Data rows.")
    var rows: Int

    @Option(help: "The file to write.")
    var out: String

    @Option(help: "Seed of the values.")
    var seed: UInt64 = 1

    @Option(name: .customLong("reject-share"), help: "Share of rows with a deliberate error (0 to 1).")
    var rejectShare = 0.0

    @Flag(help: "Write a revision: the same order codes with other requirements and dates.")
    var revision = false

    @Flag(help: "Only ISO dates and plain integers (what SQL casts read), for benchmarks against psql.")
    var plain = false

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
        guard (0...1).contains(rejectShare) else { throw ValidationError("--reject-share must be between 0 and 1") }
    }

    func run() throws {
        try CommandEdge.run {
            try PlanFileGenerator(rows: rows, seed: seed, rejectShare: rejectShare, revision: revision, plain: plain)
                .write(to: URL(fileURLWithPath: out))
            CommandEdge.printError("wrote \(rows) rows to \(out)")
        }
    }
}
