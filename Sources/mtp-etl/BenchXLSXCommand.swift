import ArgumentParser
import Foundation
import MTPDevelopment
import MTPPipeline
import Postgres

/// `mtp-etl bench xlsx --definitions DIR --out FILE --rows N --database URL`: report definitions to a workbook.
struct BenchXLSXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xlsx", abstract: "Write a workbook from a directory of report definitions (queries read current_setting('mtp.rows')).")

    @Option(help: "The directory of report definitions.")
    var definitions: String

    @Option(help: "The .xlsx file to write.")
    var out: String

    @Option(help: "Rows the queries generate (current_setting('mtp.rows')).")
    var rows = 1_000_000

    @Option(help: "Database conninfo or URI.")
    var database: String

    func run() throws {
        try CommandEdge.run {
            let export = WorkbookExport(definitions: URL(fileURLWithPath: definitions), settings: ["rows": String(rows)])
            let sheets = try Connection.withConnection(database) { connection in
                try export.write(to: URL(fileURLWithPath: out), connection: connection)
            }
            print(sheets.map { "\($0.name): \($0.rows)" }.joined(separator: ", "))
        }
    }
}
