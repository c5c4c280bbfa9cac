import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl build`: traceability, yield and reconciliation facts from the latest snapshot.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build traceability, yield and reconciliation facts (schema facts) from the latest Central snapshot.")

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            let result = try RunLock.holding(manager, applicationName: "mtp-etl build" + RunLock.commandSessionSuffix) {
                try Connection.withConnection(manager, applicationName: "mtp-etl build") { connection in
                    let files = try ProjectFiles.locate()
                    try Migrator(directory: files.migrations).requireCurrent(connection)
                    return try FactsBuild(files: files).run(connection)
                }
            }
            for table in result.tables { CommandEdge.printError("  facts.\(table.name): \(table.rows) rows") }
            for finding in result.findings { CommandEdge.printError("  finding \(finding.severity) \(finding.check): \(finding.count)") }
            let history = result.history
            print("built facts from snapshot \(result.pullID) in \(String(format: "%.1f", result.seconds)) s; \(result.findings.reduce(0) { $0 + $1.count }) findings"
                  + " (\(history.new) new, \(history.reopened) reopened, \(history.resolved) resolved, \(history.open) open)")
        }
    }
}
