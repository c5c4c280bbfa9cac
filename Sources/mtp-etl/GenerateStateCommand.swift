import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline

/// `mtp-etl generate state --bags N --seed S --out DIR`: a Manager and Central state plus planning CSVs.
struct GenerateStateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Write a consistent Manager and Central state of about N bags (load it with `fixture load DIR`), with planning CSVs in DIR/order_plan_raw.",
        discussion: "Generated in a scratch database on the embedded PostgreSQL (`mtp-etl db start`), dropped afterwards. The same seed gives byte-identical files.")

    @Option(help: "About how many bags (records) of tea.")
    var bags: Int

    @Option(help: "Seed of the values.")
    var seed = "1"

    @Option(help: "The directory to write (missing or empty).")
    var out: String

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            let generator = StateGenerator(files: try ProjectFiles.locate(), adminConninfo: try local.socketConninfo(database: "postgres"),
                                           conninfo: { try local.socketConninfo(database: $0) })
            let result = try generator.generate(bags: bags, seed: seed, into: URL(fileURLWithPath: out))
            for file in result.files where file.rows > 0 { CommandEdge.printError("  \(file.path): \(file.rows) rows") }
            print("wrote a state of \(result.bags) bags to \(out) in \(String(format: "%.1f", result.seconds)) s (load it with: mtp-etl fixture load \(out))")
        }
    }
}
