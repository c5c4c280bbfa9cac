import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl bench copy-in FILE --table T --database URL`: a CSV file through the Postgres module's COPY.
struct BenchCopyInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy-in", abstract: "Stream a CSV file (with header) into a table through the Postgres module's COPY.")

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "The table (schema-qualified if needed).")
    var table: String

    @Option(help: "Database conninfo or URI.")
    var database: String

    func run() throws {
        try CommandEdge.run {
            let rows = try Connection.withConnection(database) { connection in
                try FileCopy.copyCSV(URL(fileURLWithPath: file), into: table, connection: connection)
            }
            print(rows)
        }
    }
}
