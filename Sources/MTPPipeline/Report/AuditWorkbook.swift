import Foundation
import Postgres

/// `mtp-etl trace ... --xlsx FILE`: the audit workbook of one trace, its six sheets from `reports/trace/`
/// (Summary, Genealogy, Contacts, Receiving, Transformation, Shipping). The question's lots, batches and shipments
/// are gathered once, in set-based SQL (`sql/trace/audit/`), into temporary tables of the report's transaction;
/// every sheet reads them.
public struct AuditWorkbook: Sendable {
    /// What was written.
    public struct Result: Sendable {
        /// The workbook.
        public var file: URL
        /// The question, as the Summary states it.
        public var question: String
        /// Rows per sheet.
        public var sheets: [(name: String, rows: Int)]
    }

    /// The project's files (for `reports/trace`).
    public var files: ProjectFiles
    /// The time zone time stamps are shown in.
    public var timeZone: String

    /// An audit workbook reading its definitions from `files`.
    public init(files: ProjectFiles, timeZone: String = ReportSession.defaultTimeZone) {
        self.files = files
        self.timeZone = timeZone
    }

    /// Answers `subject` into the workbook `file`; unknown keys are refused (exit 2) before anything is written.
    /// The workbook is the recall exercise: its Summary says when the question was asked and answered, how long
    /// that took and how old the snapshot was, the lot's mass balance (forward) or the shipments' lots (backward),
    /// and how many orders, shipments and kilograms are affected, dispatched or not.
    public func write(_ subject: TraceSubject, to file: URL, connection: Connection) throws -> Result {
        let asked = Date()
        try ReportSession.prepareOutputDirectory(file.deletingLastPathComponent())
        try GraphvizRenderer.requireDot()
        let directory = files.root.appendingPathComponent("reports/trace")
        let definitions = try ReportDefinition.load(directory)
        let layout = try WorkbookLayout.load(directory)
        let writer = ReportWriter(timeZone: timeZone)
        // Not read only: the temporary tables are written; facts and snapshot are only read.
        return try connection.withTransaction(TransactionOptions(isolation: .repeatableRead)) { connection in
            let session = ReportSession(timeZone: timeZone)
            var settings = try session.configure(connection, date: nil)
            let sql = SQLStatements("trace", files: files)
            let scope = try TraceQuery(files: files).resolve(subject, connection: connection, sql: sql)
            try gather(scope, sql: sql, connection: connection)
            try record(try TraceQuery(files: files).balance(scope, connection: connection, sql: sql), sql: sql, connection: connection)
            let genealogy = try GenealogyQuery(files: files).run(scope, sql: sql, connection: connection)
            let png = try GraphvizRenderer().png(genealogy)
            let picture = ReportPicture(png: png, scale: 96 / GraphvizRenderer.dpi, note: Self.note(genealogy))
            let answered = Date()
            let times = try connection.query("""
                select to_char($1::timestamptz, 'YYYY-MM-DD HH24:MI:SS'), to_char($2::timestamptz, 'YYYY-MM-DD HH24:MI:SS')
                """, [asked, answered]).first!
            settings["asked_at"] = try times.decode(String.self, 0)
            settings["answered_at"] = try times.decode(String.self, 1)
            settings["answer_seconds"] = String(format: "%.3f", answered.timeIntervalSince(asked))
            settings["trace_question"] = scope.question
            settings["trace_direction"] = scope.isForward ? "forward" : "backward"
            try session.apply(settings, connection)
            let results = try writer.writeWorkbook(definitions, layout: layout, settings: settings, created: answered,
                                                   pictures: ["genealogy": picture], to: file, connection: connection)
            return Result(file: file, question: scope.question, sheets: results.map { ($0.sheet, $0.rows) })
        }
    }

    /// What the Genealogy sheet's picture shows.
    static func note(_ genealogy: Genealogy) -> String {
        let counts = Genealogy.Kind.allCases.compactMap { kind -> String? in
            let n = genealogy.nodes.filter { $0.kind == kind }.count
            guard n > 0 else { return nil }
            let name = [Genealogy.Kind.lot: "lot", .balance: "blendbalance", .batch: "batch", .shipment: "shipment", .order: "order", .rest: "group"][kind]!
            return "\(n) \(name)\(n == 1 ? "" : (name.hasSuffix("h") ? "es" : "s"))"
        }
        return "Kilograms of this trace along each path: " + counts.joined(separator: ", ")
            + (genealogy.grouping.map { ". To stay readable, \($0)." } ?? ".") + " Orange: not dispatched, can still be stopped."
    }

    /// Keeps how the trace's kilograms add up in `trace_balance`, which the Summary reads: the mass balance of a
    /// lot, or the root lots (the 25 largest) and the untraced kilograms of shipments.
    private func record(_ balance: TraceBalance, sql: SQLStatements, connection: Connection) throws {
        var rows: [(String, Double, Double?, String)] = []
        switch balance {
        case .lot(let mass):
            rows.append(("Received (kg)", mass.receivedKg, 1, "net kg of the bags traced"))
            for part in mass.parts {
                rows.append(("\(part.name) (kg)", part.kg, mass.receivedKg == 0 ? nil : part.kg / mass.receivedKg, part.note))
            }
            rows.append(("Accounted for", mass.accountedFor, nil, "the share of received that the parts above account for"))
        case .shipments(let composition):
            rows.append(("Allocated to the shipments (kg)", composition.allocatedKg, 1, "every kilogram the shipments hold"))
            for lot in composition.lots.prefix(25) {
                rows.append(("Lot \(lot.code) (kg)", lot.kg, lot.share, lot.kind == "tealine" ? "see Receiving" : "an opening blendbalance"))
            }
            if composition.lots.count > 25 {
                let rest = composition.lots.dropFirst(25)
                rows.append(("\(rest.count) more lots (kg)", rest.reduce(0) { $0 + $1.kg }, rest.reduce(0) { $0 + $1.share }, "see Receiving"))
            }
            if let small = composition.small {
                rows.append(("\(small.lots) lots under 0.005 kg each (kg)", small.kg, small.share,
                             "each less than 0.005 kg in a shipment (lots far back in the genealogy), together so that the kilograms add up"))
            }
            rows.append(("Untraced (kg)", composition.untracedKg, composition.allocatedKg == 0 ? nil : composition.untracedKg / composition.allocatedKg,
                         composition.untracedReason ?? "every kilogram reaches a received lot"))
        }
        try connection.query(try sql.text("audit/balance"), [rows.map(\.0), rows.map { String($0.1) }, rows.map { $0.2.map { String($0) } ?? "" }, rows.map(\.3)])
    }

    /// Makes the working tables and fills `trace_lot`, `trace_batch` and `trace_shipment` for the question.
    private func gather(_ scope: TraceQuery.Scope, sql: SQLStatements, connection: Connection) throws {
        try connection.execute(try sql.text("audit/00_tables"))
        if scope.isForward {
            for name in ["audit/forward_lots", "audit/forward_batches", "audit/forward_shipments"] {
                try connection.query(try sql.text(name), scope.parameters)
            }
        } else {
            try connection.query(try sql.text("audit/backward_shipments"), scope.parameters)
            try connection.execute(try sql.text("audit/backward_lots_and_batches"))
        }
        try connection.execute(try sql.text("audit/statistics"))
    }
}
