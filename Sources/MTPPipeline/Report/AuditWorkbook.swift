import Foundation
import Postgres

/// `mtp-etl trace ... --xlsx FILE`: the audit workbook of one trace (Summary, Receiving, Transformation,
/// Shipping from `reports/trace/`). The question's lots, batches and shipments are gathered once, in set-based
/// SQL, into temporary tables of the report's transaction; every sheet reads them.
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
    public init(files: ProjectFiles, timeZone: String = "UTC") {
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
            let scope = try TraceQuery().resolve(subject, connection: connection)
            try gather(scope, connection: connection)
            try record(try TraceQuery().balance(scope, connection: connection), connection: connection)
            let isBag: Bool
            if case .barcode = subject { isBag = true } else { isBag = false }
            let genealogy = try GenealogyQuery().run(scope, isBag: isBag, connection: connection)
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
    private func record(_ balance: TraceBalance, connection: Connection) throws {
        try connection.execute("""
            create temp table trace_balance (position int, measure text, value numeric, share numeric, note text) on commit drop
            """)
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
            rows.append(("Untraced (kg)", composition.untracedKg, composition.allocatedKg == 0 ? nil : composition.untracedKg / composition.allocatedKg,
                         composition.untracedReason ?? "every kilogram reaches a received lot"))
        }
        try connection.query("""
            insert into trace_balance
            select position, measure, value, nullif(share, '')::numeric, note
              from unnest($1::text[], $2::numeric[], $3::text[], $4::text[]) with ordinality as r(measure, value, share, note, position)
            """, [rows.map(\.0), rows.map { String($0.1) }, rows.map { $0.2.map { String($0) } ?? "" }, rows.map(\.3)])
    }

    /// Fills `trace_lot`, `trace_batch` and `trace_shipment` for the question.
    private func gather(_ scope: TraceQuery.Scope, connection: Connection) throws {
        try connection.execute("""
            create temp table trace_lot on commit drop as
                select root_kind, root_code, root_ts, kg from facts.shipment_attribution limit 0;
            create temp table trace_batch on commit drop as
                select batch_code, batch_ts from facts.batch_yield limit 0;
            create temp table trace_shipment on commit drop as
                select request_code, shipment_code, kg from facts.shipment_attribution limit 0;
            """)
        if scope.isForward {
            try connection.query("""
                insert into trace_lot
                select r.record_kind, r.item_code, r.created_ts, sum(r.net_kg)
                  from facts.record r
                 where \(scope.condition)
                 group by r.record_kind, r.item_code, r.created_ts
                """, scope.parameters)
            // The batches the bags went into, and every batch made from those through balances.
            try connection.query("""
                insert into trace_batch
                with fed as (
                    select distinct e.batch_code, e.batch_ts
                      from facts.edge_record_batch e
                      join facts.record r on r.barcode = e.barcode and r.record_kind = e.record_kind
                     where \(scope.condition)
                )
                select distinct w.top_code, w.top_ts
                  from facts.batch_walk w
                  join fed f on f.batch_code = w.batch_code and f.batch_ts = w.batch_ts
                 where not w.is_cycle
                """, scope.parameters)
            // The same kilograms the command line's forward trace prints.
            try connection.query("""
                insert into trace_shipment
                select request_code::bigint, shipment_code::int, kg::numeric
                  from (\(TraceQuery.forwardSQL(bags: scope.condition))) answer (\(TraceQuery.forwardColumns.joined(separator: ", ")))
                """, scope.parameters)
        } else {
            try connection.query("""
                insert into trace_shipment
                with chosen as (
                    select distinct s.request_code, s.shipment_code
                      from (select request_code, shipment_code from facts.edge_record_shipment
                            union select request_code, shipment_code from facts.shipment) s
                     where \(scope.condition)
                )
                select c.request_code, c.shipment_code, coalesce(sum(a.kg), 0)
                  from chosen c
                  left join facts.shipment_attribution a on a.request_code = c.request_code and a.shipment_code = c.shipment_code
                 group by c.request_code, c.shipment_code
                """, scope.parameters)
            try connection.execute("""
                insert into trace_lot
                select a.root_kind, a.root_code, a.root_ts, sum(a.kg)
                  from facts.shipment_attribution a
                  join trace_shipment t on t.request_code = a.request_code and t.shipment_code = a.shipment_code
                 group by a.root_kind, a.root_code, a.root_ts;
                -- The batches whose bags were shipped, and every batch they were made from through balances.
                insert into trace_batch
                with shipped as (
                    select distinct o.batch_code, o.batch_ts
                      from facts.edge_record_shipment e
                      join trace_shipment t on t.request_code = e.request_code and t.shipment_code = e.shipment_code
                      join facts.edge_batch_output o on o.barcode = e.barcode
                     where e.record_kind = 'blendsheet'
                )
                select distinct w.batch_code, w.batch_ts
                  from facts.batch_walk w
                  join shipped s on s.batch_code = w.top_code and s.batch_ts = w.top_ts
                 where not w.is_cycle;
                """)
        }
        try connection.execute("analyze trace_lot; analyze trace_batch; analyze trace_shipment")
    }
}
