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

/// Answers trace questions with one set-based query each over schema `facts` (`sql/trace/*.sql`, parameters bound).
public struct TraceQuery: Sendable {
    /// Backward columns, in order.
    public static let backwardColumns = ["request_code", "shipment_code", "order_code", "root_kind", "item_code", "created_at", "garden",
                                         "grade", "invoice_no", "broker", "purchase_order", "kg", "share_pct", "path"]
    /// Forward columns, in order.
    public static let forwardColumns = ["item_code", "created_at", "request_code", "shipment_code", "order_code", "product_name", "kg",
                                        "share_pct", "batches", "latest_status", "dispatched_at"]

    /// Answer with the query plan (`explain (analyze, buffers)`) instead of the rows.
    public var explain: Bool
    /// The project whose `sql/trace` answers (nil: the one found from the working directory, `MTP_HOME` or the binary).
    public var files: ProjectFiles?

    /// A query; `explain` returns the plan of the answering query instead of its rows.
    public init(explain: Bool = false, files: ProjectFiles? = nil) {
        self.explain = explain
        self.files = files
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

    /// What a question starts from, as the parameters of every trace statement: forward, the bags of one
    /// barcode or of one lot (barcode, kind, code, created_ts); backward, the shipments of a shipment, a request
    /// or an order (request, shipment, order). What the question does not name is null.
    struct Scope {
        var isForward: Bool
        var parameters: [(any PostgresEncodable)?]
        /// The question as a person reads it.
        var question: String
        /// True when the question is one bag (its genealogy's root is the bag).
        var isBag = false
    }

    /// Answers `subject`, with how its kilograms add up when `withBalance`; an unknown key is refused (exit 2),
    /// an ambiguous lot code lists its choices.
    public func run(_ subject: TraceSubject, connection: Connection, withBalance: Bool = false) throws -> TraceTable {
        let sql = try SQLStatements.trace(files)
        let scope = try resolve(subject, connection: connection, sql: sql)
        let columns = scope.isForward ? Self.forwardColumns : Self.backwardColumns
        var result = table(try answer(connection, try sql.text(scope.isForward ? "forward" : "backward"), scope.parameters, columns: columns),
                           columns: columns)
        result.question = scope.question
        if withBalance, !explain { result.balance = try balance(scope, connection: connection, sql: sql) }
        return result
    }

    /// How the scope's kilograms add up: the mass balance of a lot or bag, the composition of shipments.
    func balance(_ scope: Scope, connection: Connection, sql: SQLStatements) throws -> TraceBalance {
        scope.isForward
            ? .lot(try MassBalance.query(scope.parameters, sql: sql, connection: connection))
            : .shipments(try ShipmentComposition.query(scope.parameters, sql: sql, connection: connection))
    }

    /// Checks that the subject's keys exist and turns it into a scope. Every trace answer starts here, so this is
    /// also where the session stops JIT compilation: a trace's statements touch a few hundred rows, but the
    /// planner's guess for a walk through the genealogy can pass `jit_above_cost`, and compiling then took a
    /// second of a 40 ms answer.
    func resolve(_ subject: TraceSubject, connection: Connection, sql: SQLStatements) throws -> Scope {
        try connection.query("select set_config('jit', 'off', false)")
        try FactsBuild.requireCurrentFacts(connection)
        switch subject {
        case .lot(let code, let createdTS):
            let lots = try connection.query(try sql.text("lots"), [code, createdTS]).rows
            guard !lots.isEmpty else {
                throw PipelineError(.refused, "no lot \(code)\(createdTS.map { "@\($0)" } ?? "") in the snapshot")
            }
            guard lots.count == 1 else {
                let choices = try lots.map {
                    "\(try $0.decode(String.self, 1)), \(try $0.decode(String.self, 0)), created \(try $0.decode(String.self, 5)): "
                        + "trace lot \(try $0.decode(String.self, 1))@\(try $0.decode(Int64.self, 2))"
                }
                throw PipelineError(.refused, "lot code \(code) is ambiguous; choose one of:\n  " + choices.joined(separator: "\n  "))
            }
            let kind = try lots[0].decode(String.self, 0), ts = try lots[0].decode(Int64.self, 2)
            // Named as people read it; its creation only where another lot has the same code.
            let name = try lots[0].decode(Int64.self, 4) > 1 ? "\(code) (created \(try lots[0].decode(String.self, 5)))" : code
            return Scope(isForward: true, parameters: [nil, kind, code, ts], question: "Where did \(kind) lot \(name) go? (forward)")
        case .barcode(let barcode):
            guard try connection.query("select 1 from facts.record where barcode = $1", [barcode]).count > 0 else {
                throw PipelineError(.refused, "no bag with barcode \(barcode.postgresText) in the snapshot")
            }
            return Scope(isForward: true, parameters: [barcode, nil, nil, nil],
                         question: "Where did bag \(barcode.postgresText) go? (forward)", isBag: true)
        case .shipment(let request, let shipment):
            try requireShipments(connection, request: request, shipment: shipment, "shipment \(request)/\(shipment)")
            return Scope(isForward: false, parameters: [request, shipment, nil],
                         question: "What went into shipment \(request)/\(shipment)? (backward)")
        case .request(let request):
            try requireShipments(connection, request: request, shipment: nil, "request \(request)")
            return Scope(isForward: false, parameters: [request, nil, nil],
                         question: "What went into the shipments of request \(request)? (backward)")
        case .order(let order):
            guard try connection.query("select 1 from facts.shipment where order_code = $1", [order]).count > 0 else {
                throw PipelineError(.refused, "order \(order) has no shipments in Manager")
            }
            return Scope(isForward: false, parameters: [nil, nil, order], question: "What went into the shipments of order \(order)? (backward)")
        }
    }

    private func requireShipments(_ connection: Connection, request: Int64, shipment: Int?, _ label: String) throws {
        let found = try connection.query("select 1 from facts.trace_shipments($1, $2, null) limit 1", [request, shipment]).count
        guard found > 0 else { throw PipelineError(.refused, "\(label) is unknown: neither Manager nor Central has it") }
    }
}
