import Postgres

/// Finds the genealogy of a trace answer in the built facts, in one set-based query: the kilograms of this trace
/// along every edge, by the proportional rule of DOMAIN.md, and what each node is.
///
/// Forward (a lot or a bag): the lot's share f of every batch it reaches (through any number of balances) is the
/// forward trace's own; an edge batch -> shipment carries f x the batch's bags allocated to the shipment, an
/// edge batch -> balance f x the balance's kilograms, balance -> batch f x what the balance gave that batch.
/// Backward (shipments): each shipment's kilograms from each batch flow down the batch's genealogy, shared by
/// each input's share of the batch, to the root lots.
public struct GenealogyQuery: Sendable {
    /// At most this many shipments are drawn one by one; more are drawn per order.
    public var shipmentLimit = 30
    /// At most this many lots, or orders, are drawn; the smallest of the rest become one node.
    public var nodeLimit = 40

    /// The project whose `sql/trace` answers (nil: the one found from the working directory, `MTP_HOME` or the binary).
    public var files: ProjectFiles?

    /// A query with the drawing's default limits.
    public init(files: ProjectFiles? = nil) {
        self.files = files
    }

    /// The genealogy answering `subject`, whose keys are checked first (an unknown key is refused, exit 2).
    /// Times are shown in the session's time zone.
    public func run(_ subject: TraceSubject, connection: Connection) throws -> Genealogy {
        let sql = try SQLStatements.trace(files)
        return try run(try TraceQuery(files: files).resolve(subject, connection: connection, sql: sql), sql: sql, connection: connection)
    }

    /// The genealogy of a resolved scope (`sql/trace/genealogy_forward.sql` or `genealogy_backward.sql`).
    func run(_ scope: TraceQuery.Scope, sql: SQLStatements, connection: Connection) throws -> Genealogy {
        let rows = scope.isForward
            ? try connection.query(try sql.text("genealogy_forward"), scope.parameters + [scope.isBag]).rows
            : try connection.query(try sql.text("genealogy_backward"), scope.parameters).rows
        var nodes: [Genealogy.Node] = [], edges: [Genealogy.Edge] = []
        for row in rows {
            if try row.decode(String.self, 0) == "edge" {
                edges.append(.init(from: try row.decode(String.self, 1), to: try row.decode(String.self, 2), kg: try row.decode(Double.self, 3)))
            } else {
                let kind = Genealogy.Kind(rawValue: try row.decode(String.self, 2)) ?? .lot
                nodes.append(.init(id: try row.decode(String.self, 1), kind: kind, title: try row.decode(String.self, 3),
                                   details: (try row.decode(String?.self, 4) ?? "").split(separator: "\n").map(String.init),
                                   isOpen: try row.decode(String.self, 5) == "t", sortKey: try row.decode(String.self, 6)))
            }
        }
        return grouped(Genealogy(question: scope.question, nodes: nodes, edges: edges))
    }

    /// Keeps a large answer readable: more than ``shipmentLimit`` shipments are drawn one node per order, and
    /// more than ``nodeLimit`` lots or orders keep the largest, the rest drawn as one node. Says what it did.
    func grouped(_ genealogy: Genealogy) -> Genealogy {
        var nodes = genealogy.nodes, edges = genealogy.edges
        var notes: [String] = []
        let shipments = nodes.filter { $0.kind == .shipment }
        if shipments.count > shipmentLimit {
            var orderOf: [String: String] = [:]
            var orders: [String: (open: Int, total: Int, order: String)] = [:]
            for shipment in shipments {
                let order = shipment.details.first.map { $0.hasPrefix("order ") ? String($0.dropFirst(6)) : $0 } ?? "no order"
                orderOf[shipment.id] = "order:" + order
                orders[order, default: (0, 0, order)].total += 1
                if shipment.isOpen { orders[order, default: (0, 0, order)].open += 1 }
            }
            nodes.removeAll { $0.kind == .shipment }
            nodes += orders.values.map { order in
                Genealogy.Node(id: "order:" + order.order, kind: .order, title: "order \(order.order)",
                               details: ["\(order.total) shipment\(order.total == 1 ? "" : "s")"] + (order.open > 0 ? ["\(order.open) not dispatched"] : []),
                               isOpen: order.open > 0, sortKey: order.order)
            }
            edges = Self.merged(edges.map { edge in Genealogy.Edge(from: edge.from, to: orderOf[edge.to] ?? edge.to, kg: edge.kg) })
            notes.append("\(shipments.count) shipments are drawn as their \(orders.count) orders")
        }
        for kind in [Genealogy.Kind.lot, .order] {
            let group = nodes.filter { $0.kind == kind }
            guard group.count > nodeLimit else { continue }
            let weight = { (id: String) in edges.filter { $0.from == id || $0.to == id }.reduce(0) { $0 + $1.kg } }
            let ranked = group.sorted { (weight($0.id), $1.id) > (weight($1.id), $0.id) }
            let rest = Set(ranked.dropFirst(nodeLimit - 1).map(\.id))
            let restID = "rest:\(kind.rawValue)"
            let name = kind == .lot ? "lots" : "orders"
            nodes.removeAll { rest.contains($0.id) }
            nodes.append(.init(id: restID, kind: .rest, title: "\(rest.count) other \(name)", details: ["the smallest, listed in the sheets"],
                               sortKey: kind.rawValue))
            edges = Self.merged(edges.map { edge in
                Genealogy.Edge(from: rest.contains(edge.from) ? restID : edge.from, to: rest.contains(edge.to) ? restID : edge.to, kg: edge.kg)
            })
            notes.append("the \(rest.count) smallest of \(group.count) \(name) are drawn as one")
        }
        return Genealogy(question: genealogy.question, nodes: nodes, edges: edges, grouping: notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// Edges between the same two nodes added up.
    private static func merged(_ edges: [Genealogy.Edge]) -> [Genealogy.Edge] {
        var sums: [String: Genealogy.Edge] = [:]
        for edge in edges {
            sums[edge.from + "\u{1F}" + edge.to, default: .init(from: edge.from, to: edge.to, kg: 0)].kg += edge.kg
        }
        return Array(sums.values)
    }
}
