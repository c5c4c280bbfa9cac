import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl build`: traceability, yield and reconciliation facts from the latest snapshot.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build traceability, yield and reconciliation facts (schema facts) from the latest Central snapshot.",
        discussion: """
            Incremental by default: only what changed since the facts' snapshot (and in Manager's order tables) is \
            recomputed. A full build happens on the first build, after a change of the build's definitions or of a \
            migration, with --full, or when a change reaches more than a quarter of the bags or batches.
            --verify then builds everything again into a scratch schema and compares every fact table row for row: \
            exit 3 naming each table that differs, 0 when equal.
            """)

    @OptionGroup var databases: DatabaseOptions

    @Flag(help: "Rebuild every fact, whatever changed.")
    var full = false

    @Flag(help: "After building, build everything again into a scratch schema and compare every fact table with it (exit 3 when they differ).")
    var verify = false

    @Flag(help: "Print the outcome as one JSON document on stdout.")
    var json = false

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let (result, verification) = try RunLock.holding(manager, applicationName: "mtp-etl build" + RunLock.commandSessionSuffix) {
                try Connection.withConnection(manager, applicationName: "mtp-etl build") { connection in
                    let files = try ProjectFiles.locate()
                    try Migrator(directory: files.migrations).requireCurrent(connection)
                    let result = try FactsBuild(files: files).run(connection, options: .init(full: full, connect: {
                        try Connection.connect(manager, applicationName: "mtp-etl build")
                    }))
                    return (result, verify ? try FactsVerification(files: files).compare(connection) : nil)
                }
            }
            if json {
                try BuildOutput.printJSON(result, verification: verification)
            } else {
                BuildOutput.printText(result, verification: verification)
            }
            if let verification, !verification.differences.isEmpty {
                throw PipelineError(.operational, "the incremental facts differ from a full build in "
                    + verification.differences.map { "facts.\($0.table)" }.joined(separator: ", "))
            }
        }
    }
}
