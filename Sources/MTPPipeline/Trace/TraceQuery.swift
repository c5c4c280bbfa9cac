import Foundation
import Postgres

/// A trace question an auditor asks, answered from the built facts.
public enum TraceSubject: Sendable, Equatable {
    /// Forward: a lot (tealine or blendbalance), by code and, when several share it, creation time.
    case lot(code: String, createdTS: Int64?)
    /// Forward: one bag.
    case barcode(UUID)
    /// Backward: one shipment of a request.
    case shipment(request: Int64, shipment: Int)
    /// Backward: every shipment of a request.
    case request(Int64)
    /// Backward: every shipment of an order.
    case order(String)

    /// True for the forward questions (lot, barcode).
    public var isForward: Bool {
        switch self {
        case .lot, .barcode: return true
        default: return false
        }
    }
}

/// A trace answer: named columns and rows of text, in the documented order.
public struct TraceTable: Sendable {
    /// Column names.
    public var columns: [String]
    /// Rows, each with one value per column (nil for empty).
    public var rows: [[String?]]
    /// The columns holding numbers (for JSON).
    public var numericColumns: Set<String>
    /// The question, as a person reads it.
    public var question = ""
    /// Where the kilograms went (forward) or came from (backward), when asked for.
    public var balance: TraceBalance?
}

/// How a trace's kilograms add up.
public enum TraceBalance: Sendable, Equatable {
    /// A lot's or bag's mass balance.
    case lot(MassBalance)
    /// The shipments' root lots and what is untraced.
    case shipments(ShipmentComposition)
}

/// Answers trace questions with one set-based query each over schema `facts`.
public struct TraceQuery: Sendable {
    /// Backward columns, in order.
    public static let backwardColumns = ["request_code", "shipment_code", "order_code", "root_kind", "item_code", "created_at", "garden",
                                         "grade", "invoice_no", "broker", "purchase_order", "kg", "share_pct", "path"]
    /// Forward columns, in order.
    public static let forwardColumns = ["item_code", "created_at", "request_code", "shipment_code", "order_code", "product_name", "kg",
                                        "share_pct", "batches", "latest_status", "dispatched_at"]

    static let iso = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'"

    /// Answer with the query plan (`explain (analyze, buffers)`) instead of the rows.
    public var explain: Bool

    /// A query; `explain` returns the plan of the answering query instead of its rows.
    public init(explain: Bool = false) {
        self.explain = explain
    }

    /// Runs the answering query, or its plan.
    private func answer(_ connection: Connection, _ sql: String, _ parameters: [(any PostgresEncodable)?], columns: [String]) throws -> [[String?]] {
        if explain {
            return try connection.query("explain (analyze, buffers, costs off) " + sql, parameters).rows.map { [try $0.decode(String.self, 0)] }
        }
        return try connection.query(sql, parameters).rows.map { row in try columns.indices.map { try row.decode(String?.self, $0) } }
    }

    private func table(_ rows: [[String?]], columns: [String]) -> TraceTable {
        explain ? TraceTable(columns: ["QUERY PLAN"], rows: rows, numericColumns: [])
                : TraceTable(columns: columns, rows: rows, numericColumns: ["request_code", "shipment_code", "kg", "share_pct"])
    }

    /// The rows a question starts from: bags (forward, a condition on `facts.record r`) or shipments (backward, a
    /// condition on request and shipment codes `s`), with the parameters the condition uses.
    struct Scope {
        var isForward: Bool
        var condition: String
        var parameters: [(any PostgresEncodable)?]
        /// The question as a person reads it.
        var question: String
    }

    /// Answers `subject`, with how its kilograms add up when `withBalance`; an unknown key is refused (exit 2),
    /// an ambiguous lot code lists its choices.
    public func run(_ subject: TraceSubject, connection: Connection, withBalance: Bool = false) throws -> TraceTable {
        let scope = try resolve(subject, connection: connection)
        var result: TraceTable
        if scope.isForward {
            let rows = try answer(connection, Self.forwardSQL(bags: scope.condition), scope.parameters, columns: Self.forwardColumns)
            result = table(rows, columns: Self.forwardColumns)
        } else {
            let rows = try answer(connection, Self.backwardSQL(scope.condition), scope.parameters, columns: Self.backwardColumns)
            result = table(rows, columns: Self.backwardColumns)
        }
        result.question = scope.question
        if withBalance, !explain { result.balance = try balance(scope, connection: connection) }
        return result
    }

    /// How the scope's kilograms add up: the mass balance of a lot or bag, the composition of shipments.
    func balance(_ scope: Scope, connection: Connection) throws -> TraceBalance {
        scope.isForward
            ? .lot(try MassBalance.query(bags: scope.condition, parameters: scope.parameters, connection: connection))
            : .shipments(try ShipmentComposition.query(shipments: scope.condition, parameters: scope.parameters, connection: connection))
    }

    /// Checks that the subject's keys exist and turns it into a scope.
    func resolve(_ subject: TraceSubject, connection: Connection) throws -> Scope {
        try FactsBuild.requireFacts(connection)
        switch subject {
        case .lot(let code, let createdTS):
            let lots = try connection.query("""
                select kind, item_code, created_ts, to_char(to_timestamp(created_ts / 1000.0) at time zone 'UTC', \(Self.iso)) from (
                    select 'tealine' as kind, item_code, created_ts from snapshot.tealine
                    union all
                    select 'blendbalance', item_code, created_ts from snapshot.blendbalance
                ) lots
                 where item_code = $1 and ($2::bigint is null or created_ts = $2)
                 order by created_ts
                """, [code, createdTS]).rows
            guard !lots.isEmpty else {
                throw PipelineError(.refused, "no lot \(code)\(createdTS.map { "@\($0)" } ?? "") in the snapshot")
            }
            guard lots.count == 1 else {
                let choices = try lots.map { "\(try $0.decode(String.self, 1))@\(try $0.decode(Int64.self, 2)) (\(try $0.decode(String.self, 0)), created \(try $0.decode(String.self, 3)))" }
                throw PipelineError(.refused, "lot code \(code) is ambiguous; choose one of:\n  " + choices.joined(separator: "\n  "))
            }
            let kind = try lots[0].decode(String.self, 0), ts = try lots[0].decode(Int64.self, 2)
            return Scope(isForward: true, condition: "r.item_code = $1 and r.created_ts = $2 and r.record_kind = $3",
                         parameters: [code, ts, kind], question: "Where did \(kind) lot \(code)@\(ts) go? (forward)")
        case .barcode(let barcode):
            guard try connection.query("select 1 from facts.record where barcode = $1", [barcode]).count > 0 else {
                throw PipelineError(.refused, "no bag with barcode \(barcode.postgresText) in the snapshot")
            }
            return Scope(isForward: true, condition: "r.barcode = $1", parameters: [barcode],
                         question: "Where did bag \(barcode.postgresText) go? (forward)")
        case .shipment(let request, let shipment):
            try requireShipments(connection, "request_code = $1 and shipment_code = $2", [request, shipment], "shipment \(request)/\(shipment)")
            return Scope(isForward: false, condition: "s.request_code = $1 and s.shipment_code = $2", parameters: [request, shipment],
                         question: "What went into shipment \(request)/\(shipment)? (backward)")
        case .request(let request):
            try requireShipments(connection, "request_code = $1", [request], "request \(request)")
            return Scope(isForward: false, condition: "s.request_code = $1", parameters: [request],
                         question: "What went into the shipments of request \(request)? (backward)")
        case .order(let order):
            guard try connection.query("select 1 from facts.shipment where order_code = $1", [order]).count > 0 else {
                throw PipelineError(.refused, "order \(order) has no shipments in Manager")
            }
            return Scope(isForward: false, condition: "s.request_code in (select request_code from facts.shipment where order_code = $1)",
                         parameters: [order], question: "What went into the shipments of order \(order)? (backward)")
        }
    }

    private func requireShipments(_ connection: Connection, _ condition: String, _ parameters: [(any PostgresEncodable)?], _ label: String) throws {
        let found = try connection.query("""
            select 1 from facts.shipment where \(condition)
            union all
            select 1 from facts.edge_record_shipment where \(condition)
            limit 1
            """, parameters).count
        guard found > 0 else { throw PipelineError(.refused, "\(label) is unknown: neither Manager nor Central has it") }
    }

    /// Backward: every root lot of the chosen shipments with its kilograms; `untraced` for what reaches none.
    static func backwardSQL(_ condition: String) -> String {
        """
            with chosen as (
                select distinct s.request_code, s.shipment_code
                  from (select request_code, shipment_code from facts.edge_record_shipment
                        union select request_code, shipment_code from facts.shipment) s
                 where \(condition)
            ),
            allocated as (
                select a.request_code, a.shipment_code, sum(a.kg) as kg
                  from facts.shipment_attribution a
                  join chosen using (request_code, shipment_code)
                 group by a.request_code, a.shipment_code
            )
            select a.request_code::text, a.shipment_code::text, sh.order_code, a.root_kind, a.root_code,
                   to_char(to_timestamp(a.root_ts / 1000.0) at time zone 'UTC', \(Self.iso)),
                   t.garden, t.grade, t.invoice_no, t.broker, t.purchase_order,
                   to_char(round(a.kg, 2), 'FM999999999990.00'),
                   to_char(round(a.kg / nullif(al.kg, 0) * 100, 2), 'FM990.00'), a.path
              from facts.shipment_attribution a
              join allocated al using (request_code, shipment_code)
              left join facts.shipment sh using (request_code, shipment_code)
              left join snapshot.tealine t on a.root_kind = 'tealine' and t.item_code = a.root_code and t.created_ts = a.root_ts
             order by a.request_code, a.shipment_code, a.root_kind = 'untraced', a.kg desc, a.root_code
            """
    }

    /// The bags matching `condition` (on `facts.record r`) and their share f of every batch made from them,
    /// directly or through the balances they left, with the batches between (`fraction`): the CTEs every
    /// forward answer (trace, genealogy, mass balance) starts from.
    static func reachedSQL(bags condition: String) -> String {
        """
        bags as (
            select r.barcode, r.record_kind, r.item_code, r.created_ts, r.net_kg from facts.record r where \(condition)
        ),
        fed as (
            select e.batch_code, e.batch_ts, sum(e.kg) as kg
              from facts.edge_record_batch e
              join bags b on b.barcode = e.barcode and b.record_kind = e.record_kind
             group by e.batch_code, e.batch_ts
        ),
        totals as (
            select distinct i.batch_code, i.batch_ts, i.total_kg
              from facts.batch_input i
              join fed f on f.batch_code = i.batch_code and f.batch_ts = i.batch_ts
        ),
        fraction as (
            select w.top_code as batch_code, w.top_ts as batch_ts, sum(w.share * f.kg / t.total_kg) as f,
                   min(array_to_string(array(select p from unnest(w.path) with ordinality u(p, n) order by n desc), ' > ')) as batches
              from fed f
              join totals t on t.batch_code = f.batch_code and t.batch_ts = f.batch_ts
              join facts.batch_walk w on w.batch_code = f.batch_code and w.batch_ts = f.batch_ts and not w.is_cycle
             where t.total_kg > 0
             group by w.top_code, w.top_ts
        )
        """
    }

    /// Forward: every shipment the chosen bags reached, directly or through batches (and the balances they left).
    static func forwardSQL(bags condition: String) -> String {
        """
            with \(reachedSQL(bags: condition)),
            via_batches as (
                select s.request_code, s.shipment_code, sum(s.kg * rb.f) as kg,
                       string_agg(distinct rb.batches, '; ' order by rb.batches) as batches
                  from fraction rb
                  join facts.edge_batch_output o on o.batch_code = rb.batch_code and o.batch_ts = rb.batch_ts
                  join facts.edge_record_shipment s on s.barcode = o.barcode and s.record_kind = 'blendsheet'
                 group by s.request_code, s.shipment_code
            ),
            direct as (
                select s.request_code, s.shipment_code, sum(s.kg) as kg, null::text as batches
                  from facts.edge_record_shipment s
                  join bags b on b.barcode = s.barcode and b.record_kind = s.record_kind
                 group by s.request_code, s.shipment_code
            ),
            reached as (
                select request_code, shipment_code, sum(kg) as kg, string_agg(batches, '; ') as batches
                  from (select * from direct union all select * from via_batches) x
                 group by request_code, shipment_code
            ),
            lot as (
                select min(item_code) as item_code, min(created_ts) as created_ts, sum(net_kg) as received_kg from bags
            )
            select lot.item_code, to_char(to_timestamp(lot.created_ts / 1000.0) at time zone 'UTC', \(Self.iso)),
                   r.request_code::text, r.shipment_code::text, sh.order_code, sh.product_name,
                   to_char(round(r.kg, 2), 'FM999999999990.00'),
                   to_char(round(r.kg / nullif(lot.received_kg, 0) * 100, 2), 'FM99990.00'),
                   r.batches, sh.latest_status,
                   to_char(sh.dispatched_at at time zone 'UTC', \(Self.iso))
              from reached r
              cross join lot
              left join facts.shipment sh using (request_code, shipment_code)
             where round(r.kg, 2) <> 0
             order by r.request_code, r.shipment_code
            """
    }
}
