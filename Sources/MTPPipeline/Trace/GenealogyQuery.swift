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

    /// A query with the drawing's default limits.
    public init() {}

    /// The genealogy answering `subject`, whose keys are checked first (an unknown key is refused, exit 2).
    /// Times are shown in the session's time zone.
    public func run(_ subject: TraceSubject, connection: Connection) throws -> Genealogy {
        let scope = try TraceQuery().resolve(subject, connection: connection)
        return try run(scope, isBag: { if case .barcode = subject { return true } else { return false } }(), connection: connection)
    }

    func run(_ scope: TraceQuery.Scope, isBag: Bool, connection: Connection) throws -> Genealogy {
        let sql = scope.isForward ? Self.forwardSQL(bags: scope.condition, isBag: isBag) : Self.backwardSQL(scope.condition)
        var nodes: [Genealogy.Node] = [], edges: [Genealogy.Edge] = []
        for row in try connection.query(sql, scope.parameters).rows {
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

    /// The node rows every answer shares: what a lot, a batch, a balance and a shipment show, for the ids in
    /// `ids` (parsed back into their keys, so that each is found by its index).
    private static let sharedNodes = """
        keys as (
            select id, split_part(id, ':', 1) as kind,
                   substring(id from '^lot:([a-z]+):') as record_kind,
                   substring(id from '^(?:lot:[a-z]+|batch|balance):(.*)@-?[0-9]+$') as code,
                   substring(id from '@(-?[0-9]+)$')::bigint as ts,
                   substring(id from '^shipment:(-?[0-9]+)/')::bigint as request_code,
                   substring(id from '^shipment:-?[0-9]+/(-?[0-9]+)$')::int as shipment_code
              from ids
        ),
        batch_nodes as (
            select k.id, 'batch' as kind, y.batch_code as title,
                   y.blendsheet_no || E'\\n' || coalesce('yield ' || to_char(y.yield_pct, 'FM990.00') || ' % ' || y.rating, 'no yield')
                   || case when y.completed then '' else E'\\nnot completed' end
                   || case when y.trader_status = 'TRADER_BLOCKED' then E'\\nTRADER_BLOCKED' else '' end as details,
                   false as open, lpad(y.batch_ts::text, 20, '0') as sort_key
              from keys k
              join facts.batch_yield y on y.batch_code = k.code and y.batch_ts = k.ts
             where k.kind = 'batch'
        ),
        balance_nodes (id, kind, title, details, open, sort_key) as (
            select k.id, 'balance', k.code,
                   'blendbalance, leftover of ' || s.source_batch_code
                   || E'\\n' || to_char(coalesce((select sum(r.net_kg) from facts.record r where r.record_kind = 'blendbalance'
                                                   and r.item_code = k.code and r.created_ts = k.ts), 0), 'FM999G999G990.00') || ' kg',
                   false, lpad(k.ts::text, 20, '0')
              from keys k
              join facts.edge_balance_source s on s.balance_code = k.code and s.balance_ts = k.ts
             where k.kind = 'balance'
        ),
        shipment_nodes (id, kind, title, details, open, sort_key) as (
            select k.id, 'shipment', k.request_code || '/' || k.shipment_code,
                   coalesce('order ' || s.order_code, 'not in Manager') || E'\\n'
                   || coalesce('dispatched ' || to_char(s.dispatched_at, 'YYYY-MM-DD HH24:MI'), 'not dispatched'),
                   s.dispatched_at is null, lpad(k.request_code::text, 20, '0') || '/' || lpad(k.shipment_code::text, 10, '0')
              from keys k
              left join facts.shipment s on s.request_code = k.request_code and s.shipment_code = k.shipment_code
             where k.kind = 'shipment'
        ),
        lot_nodes (id, kind, title, details, open, sort_key) as (
            select k.id, 'lot', k.code,
                   coalesce(t.garden || ' · ' || t.grade || ' · ' || t.invoice_no,
                            case when k.record_kind = 'blendbalance' then 'opening blendbalance' else k.record_kind end)
                   || E'\\n' || to_char((select sum(r.net_kg) from facts.record r where r.record_kind = k.record_kind
                                          and r.item_code = k.code and r.created_ts = k.ts), 'FM999G999G990.00') || ' kg received',
                   false, lpad(k.ts::text, 20, '0')
              from keys k
              left join snapshot.tealine t on k.record_kind = 'tealine' and t.item_code = k.code and t.created_ts = k.ts
             where k.kind = 'lot'
        ),
        nodes as (
            select * from lot_nodes union all select * from batch_nodes union all select * from balance_nodes
            union all select * from shipment_nodes
        )
        select 'edge', from_id, to_id, kg::float8::text, null, null, null from kept
        union all
        select 'node', id, kind, title, details, case when open then 't' else 'f' end, sort_key from nodes
        """

    /// Forward from the bags matching `condition` (on `facts.record r`).
    static func forwardSQL(bags condition: String, isBag: Bool) -> String {
        """
        with \(TraceQuery.reachedSQL(bags: condition)),
        root as (
            select min(record_kind) as kind, min(item_code) as code, min(created_ts) as ts,
                   \(isBag ? "'bag:' || min(barcode::text)" : "'lot:' || min(record_kind) || ':' || min(item_code) || '@' || min(created_ts)") as id
              from bags
        ),
        balances as (
            select s.balance_code, s.balance_ts, s.source_batch_code, s.source_batch_ts, fr.f
              from facts.edge_balance_source s
              join fraction fr on fr.batch_code = s.source_batch_code and fr.batch_ts = s.source_batch_ts
        ),
        edges (from_id, to_id, kg) as (
            select (select id from root), 'batch:' || f.batch_code || '@' || f.batch_ts, f.kg from fed f
            union all
            select 'batch:' || b.source_batch_code || '@' || b.source_batch_ts, 'balance:' || b.balance_code || '@' || b.balance_ts,
                   b.f * sum(r.net_kg)
              from balances b
              join facts.record r on r.record_kind = 'blendbalance' and r.item_code = b.balance_code and r.created_ts = b.balance_ts
             group by b.source_batch_code, b.source_batch_ts, b.balance_code, b.balance_ts, b.f
            union all
            select 'balance:' || b.balance_code || '@' || b.balance_ts, 'batch:' || e.batch_code || '@' || e.batch_ts, b.f * sum(e.kg)
              from balances b
              join facts.edge_record_batch e on e.record_kind = 'blendbalance' and e.lot_code = b.balance_code and e.lot_ts = b.balance_ts
             group by b.balance_code, b.balance_ts, e.batch_code, e.batch_ts, b.f
            union all
            select 'batch:' || fr.batch_code || '@' || fr.batch_ts, 'shipment:' || s.request_code || '/' || s.shipment_code, sum(s.kg * fr.f)
              from fraction fr
              join facts.edge_batch_output o on o.batch_code = fr.batch_code and o.batch_ts = fr.batch_ts
              join facts.edge_record_shipment s on s.barcode = o.barcode and s.record_kind = 'blendsheet'
             group by fr.batch_code, fr.batch_ts, s.request_code, s.shipment_code
            union all
            select (select id from root), 'shipment:' || s.request_code || '/' || s.shipment_code, sum(s.kg)
              from bags b
              join facts.edge_record_shipment s on s.barcode = b.barcode and s.record_kind = b.record_kind
             group by s.request_code, s.shipment_code
        ),
        kept as (
            select * from edges where round(kg, 2) <> 0
        ),
        ids as (
            select from_id as id from kept union select to_id from kept union select id from root
        ),
        root_node (id, kind, title, details, open, sort_key) as (
            select r.id, 'lot', \(isBag ? "'bag ' || substr(r.id, 5, 8) || '…'" : "r.code"),
                   \(isBag ? "'of ' || r.kind || ' lot ' || r.code || E'\\n'" : "''") ||
                   coalesce(t.garden || ' · ' || t.grade || ' · ' || t.invoice_no, case when r.kind = 'blendbalance' then 'opening blendbalance' else r.kind end)
                   || E'\\n' || to_char((select sum(x.net_kg) from facts.record x join bags b on b.barcode = x.barcode and b.record_kind = x.record_kind),
                                        'FM999G999G990.00') || ' kg received',
                   false, lpad(r.ts::text, 20, '0')
              from root r
              left join snapshot.tealine t on r.kind = 'tealine' and t.item_code = r.code and t.created_ts = r.ts
        ),
        \(sharedNodes.replacingOccurrences(of: "select * from lot_nodes union all", with: "select * from root_node union all"))
        """
    }

    /// Backward from the shipments matching `condition` (on request and shipment codes `s`).
    static func backwardSQL(_ condition: String) -> String {
        """
        with chosen as (
            select distinct s.request_code, s.shipment_code
              from (select request_code, shipment_code from facts.edge_record_shipment
                    union select request_code, shipment_code from facts.shipment) s
             where \(condition)
        ),
        out_alloc as (
            select o.batch_code, o.batch_ts, c.request_code, c.shipment_code, sum(e.kg) as kg
              from chosen c
              join facts.edge_record_shipment e on e.request_code = c.request_code and e.shipment_code = c.shipment_code
              join facts.edge_batch_output o on o.barcode = e.barcode
             where e.record_kind = 'blendsheet'
             group by o.batch_code, o.batch_ts, c.request_code, c.shipment_code
        ),
        tops as (
            select batch_code, batch_ts, sum(kg) as kg from out_alloc group by batch_code, batch_ts
        ),
        flow as (
            select w.batch_code, w.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts,
                   sum(t.kg * w.share * i.share) as kg
              from tops t
              join facts.batch_walk w on w.top_code = t.batch_code and w.top_ts = t.batch_ts and not w.is_cycle
              join facts.batch_input i on i.batch_code = w.batch_code and i.batch_ts = w.batch_ts
             where i.share is not null
             group by w.batch_code, w.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts
        ),
        direct as (
            select r.item_code, r.created_ts, c.request_code, c.shipment_code, sum(e.kg) as kg
              from chosen c
              join facts.edge_record_shipment e on e.request_code = c.request_code and e.shipment_code = c.shipment_code
              join facts.record r on r.barcode = e.barcode and r.record_kind = 'tealine'
             where e.record_kind = 'tealine'
             group by r.item_code, r.created_ts, c.request_code, c.shipment_code
        ),
        edges (from_id, to_id, kg) as (
            select 'lot:' || record_kind || ':' || lot_code || '@' || lot_ts, 'batch:' || batch_code || '@' || batch_ts, kg
              from flow where source_batch_code is null
            union all
            select 'batch:' || source_batch_code || '@' || source_batch_ts, 'balance:' || lot_code || '@' || lot_ts, sum(kg)
              from flow where source_batch_code is not null
             group by source_batch_code, source_batch_ts, lot_code, lot_ts
            union all
            select 'balance:' || lot_code || '@' || lot_ts, 'batch:' || batch_code || '@' || batch_ts, kg
              from flow where source_batch_code is not null
            union all
            select 'batch:' || batch_code || '@' || batch_ts, 'shipment:' || request_code || '/' || shipment_code, kg from out_alloc
            union all
            select 'lot:tealine:' || item_code || '@' || created_ts, 'shipment:' || request_code || '/' || shipment_code, kg from direct
        ),
        kept as (
            select * from edges where round(kg, 2) <> 0
        ),
        ids as (
            select from_id as id from kept union select to_id from kept
            union select 'shipment:' || request_code || '/' || shipment_code from chosen
        ),
        \(sharedNodes)
        """
    }
}
