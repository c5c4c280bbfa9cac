/// The genealogy of a trace answer as a graph: root lots, blend batches, the blendbalances between them and the
/// shipments, with the kilograms of this trace flowing along each edge (the same figures as the trace's table:
/// for a lot, the edges into a shipment add up to that shipment's row). Made by ``GenealogyQuery``; drawn by
/// ``dot()`` as Graphviz DOT.
public struct Genealogy: Sendable, Equatable {
    /// What a node stands for.
    public enum Kind: String, Sendable, Comparable, CaseIterable {
        /// A received lot (tealine, or an opening blendbalance): where the chain starts.
        case lot
        /// A blendbalance that descends from a batch: its leftover, carried into later batches.
        case balance
        /// A blend batch.
        case batch
        /// A shipment of a request.
        case shipment
        /// Several shipments of one order, drawn as one (large answers).
        case order
        /// What is left when an answer has too many lots or orders to draw: one node for the rest.
        case rest

        public static func < (lhs: Kind, rhs: Kind) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// One lot, batch, balance or shipment.
    public struct Node: Sendable, Equatable {
        /// A stable identifier: its kind and key, e.g. `batch:B-1@3000` or `shipment:41/1`.
        public var id: String
        /// What it stands for.
        public var kind: Kind
        /// Its first line: the code a person looks for.
        public var title: String
        /// The lines under it: garden, grade and invoice; blendsheet and yield; order and dispatch.
        public var details: [String]
        /// Not dispatched yet: the shipment can still be stopped.
        public var isOpen: Bool
        /// Its order key (creation or request order), for a deterministic drawing.
        public var sortKey: String

        /// Describes a node.
        public init(id: String, kind: Kind, title: String, details: [String], isOpen: Bool = false, sortKey: String) {
            self.id = id
            self.kind = kind
            self.title = title
            self.details = details
            self.isOpen = isOpen
            self.sortKey = sortKey
        }
    }

    /// Kilograms of this trace flowing from one node to another.
    public struct Edge: Sendable, Equatable {
        /// The node the kilograms come from.
        public var from: String
        /// The node they go to.
        public var to: String
        /// How many, to the gram.
        public var kg: Double

        /// Describes an edge.
        public init(from: String, to: String, kg: Double) {
            self.from = from
            self.to = to
            self.kg = kg
        }
    }

    /// The nodes, lots first, then balances, batches, shipments.
    public var nodes: [Node]
    /// The edges, in the order of their nodes.
    public var edges: [Edge]
    /// What was drawn together to keep the picture readable (nil: everything as it is).
    public var grouping: String?
    /// The question it answers, as a person reads it.
    public var question: String

    /// A genealogy of `nodes` and `edges`, put in their deterministic order.
    public init(question: String, nodes: [Node], edges: [Edge], grouping: String? = nil) {
        self.question = question
        let sorted = nodes.sorted { ($0.kind, $0.sortKey, $0.id) < ($1.kind, $1.sortKey, $1.id) }
        let position = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.id, $0) })
        self.nodes = sorted
        self.edges = edges.sorted { (position[$0.from] ?? 0, position[$0.to] ?? 0) < (position[$1.from] ?? 0, position[$1.to] ?? 0) }
        self.grouping = grouping
    }

    /// The kilograms flowing into a node.
    public func kgInto(_ id: String) -> Double {
        edges.filter { $0.to == id }.reduce(0) { $0 + $1.kg }
    }
}
