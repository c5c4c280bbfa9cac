import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline

/// `mtp-etl generate demo --out DIR`: the demo's six weeks at a tea factory (what `samples/` holds).
struct GenerateDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write the demo: six weeks at a tea factory (Manager and Central state, weekly planning files), as samples/ holds it.",
        discussion: """
            From sql/generate/demo.sql, in a scratch database on the embedded PostgreSQL (`mtp-etl db start`), dropped \
            afterwards; always the same bytes. samples/README.md tells its story.
            """)

    @Option(help: "The directory to write (missing or empty).")
    var out: String

    func run() throws {
        try CommandEdge.run {
            let local = LocalDatabase.current
            let generator = StateGenerator(files: try ProjectFiles.locate(), adminConninfo: try local.socketConninfo(database: "postgres"),
                                           conninfo: { try local.socketConninfo(database: $0) })
            let result = try generator.generateDemo(into: URL(fileURLWithPath: out))
            for file in result.files where file.rows > 0 { CommandEdge.printError("  \(file.path): \(file.rows) rows") }
            print("wrote the demo (\(result.bags) bags) to \(out) in \(String(format: "%.1f", result.seconds)) s")
        }
    }
}
