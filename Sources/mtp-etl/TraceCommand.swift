import ArgumentParser
import Foundation
import MTPPipeline
import Postgres

/// `mtp-etl trace`: a lot forward to every shipment, or a shipment, request or order back to every lot.
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Trace a lot or bag forward (lot ITEM_CODE[@CREATED_TS] | barcode UUID), or a shipment back (shipment REQUEST/SHIPMENT | request REQUEST | order ORDER_CODE).",
        discussion: "An unknown key exits 2; an ambiguous lot code lists the choices.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json, dot
    }

    @Argument(help: "lot, barcode, shipment, request or order.")
    var kind: String

    @Argument(help: "The key: ITEM_CODE[@CREATED_TS], UUID, REQUEST/SHIPMENT, REQUEST or ORDER_CODE.")
    var key: String

    @Option(help: "table (default on a terminal), csv (default otherwise), json (with the lot's mass balance), or dot (the genealogy as Graphviz DOT, kg on the edges).")
    var format: Format?

    @Flag(help: "Print the plan of the answering query (explain analyze) instead of the answer.")
    var explain = false

    @Option(help: ArgumentHelp("Write the audit workbook (Summary, Genealogy, Contacts, Receiving, Transformation, Shipping) to this .xlsx file.", valueName: "file"))
    var xlsx: String?

    @OptionGroup var report: ReportOptions

    @OptionGroup var databases: DatabaseOptions

    func subject() throws -> TraceSubject {
        switch kind {
        case "lot":
            let parts = key.split(separator: "@", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                guard let ts = Int64(parts[1]) else { throw ValidationError("lot \(key): the part after @ must be the lot's created_ts (epoch ms)") }
                return .lot(code: parts[0], createdTS: ts)
            }
            return .lot(code: key, createdTS: nil)
        case "barcode":
            guard let uuid = UUID(uuidString: key) else { throw ValidationError("barcode \(key) is not a UUID") }
            return .barcode(uuid)
        case "shipment":
            let parts = key.split(separator: "/").map(String.init)
            guard parts.count == 2, let request = Int64(parts[0]), let shipment = Int(parts[1]) else {
                throw ValidationError("shipment \(key): write REQUEST/SHIPMENT, e.g. 41/1")
            }
            return .shipment(request: request, shipment: shipment)
        case "request":
            guard let request = Int64(key) else { throw ValidationError("request \(key) is not a number") }
            return .request(request)
        case "order":
            return .order(key)
        default:
            throw ValidationError("unknown trace kind \(kind): use lot, barcode, shipment, request or order")
        }
    }

    func validate() throws {
        _ = try subject()
        if xlsx != nil, explain { throw ValidationError("--xlsx and --explain do not go together") }
        if format == .dot, explain { throw ValidationError("--format dot and --explain do not go together") }
        if let xlsx, !xlsx.hasSuffix(".xlsx") { throw ValidationError("--xlsx \(xlsx): the file name must end in .xlsx") }
    }

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            if let xlsx {
                let file = URL(fileURLWithPath: xlsx)
                try ReportSession.prepareOutputDirectory(file.deletingLastPathComponent())    // before any work
                let result = try Connection.withConnection(manager, applicationName: "mtp-etl trace") { connection in
                    try AuditWorkbook(files: try ProjectFiles.locate(), timeZone: report.timeZone).write(try subject(), to: file, connection: connection)
                }
                for sheet in result.sheets { CommandEdge.printError("  \(sheet.name): \(sheet.rows) rows") }
                print("wrote \(result.file.path): \(result.question)")
                return
            }
            if format == .dot {
                let genealogy = try Connection.withConnection(manager, applicationName: "mtp-etl trace") { connection in
                    try connection.query("select set_config('timezone', $1, false)", [report.timeZone])
                    return try GenealogyQuery().run(try subject(), connection: connection)
                }
                FileHandle.standardOutput.write(Data(genealogy.dot().utf8))
                return
            }
            let table = try Connection.withConnection(manager, applicationName: "mtp-etl trace") { connection in
                // The question names a lot's creation, where its code is shared, in the --timezone.
                try connection.query("select set_config('timezone', $1, false)", [report.timeZone])
                return try TraceQuery(explain: explain).run(try subject(), connection: connection, withBalance: format == .json)
            }
            let chosen = explain ? .table : format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .csv)
            FileHandle.standardOutput.write(Data(TraceOutput.render(table, as: chosen.rawValue).utf8))
        }
    }
}
