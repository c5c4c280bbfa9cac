extension Genealogy {
    /// The graph as Graphviz DOT, left to right from the lots to the shipments; node ids are the stable
    /// identifiers, every text is escaped, kilograms are edge labels. Shipments that are not dispatched (they can
    /// still be stopped) are orange and say so; colours are blue and orange, never red against green.
    /// `leftToRight` false draws it top to bottom (a deep chain fits a page better that way).
    public func dot(leftToRight: Bool = true) -> String {
        let title = question + (grouping.map { " (\($0))" } ?? "")
        var lines = [
            "digraph genealogy {",
            "  graph [rankdir=\(leftToRight ? "LR" : "TB"), fontname=\"Helvetica\", fontsize=12, nodesep=0.2, ranksep=0.5, labelloc=t, label=\(Self.quoted(title))];",
            "  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10, color=\"#4D4D4D\"];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#595959\"];",
        ]
        for node in nodes {
            let label = ([node.title] + node.details).map(Self.escaped).joined(separator: "\\n")
            lines.append("  \(Self.quoted(node.id)) [label=\"\(label)\", \(Self.style(node))];")
        }
        // Lots at the left edge, shipments (or orders) at the right: the chain reads from start to end.
        for (rank, kinds) in [("source", [Kind.lot]), ("sink", [Kind.shipment, .order])] {
            let ids = nodes.filter { kinds.contains($0.kind) || ($0.kind == .rest && $0.sortKey == (rank == "source" ? "lot" : "order")) }.map { Self.quoted($0.id) }
            if !ids.isEmpty { lines.append("  { rank=\(rank); \(ids.joined(separator: "; ")); }") }
        }
        for edge in edges {
            lines.append("  \(Self.quoted(edge.from)) -> \(Self.quoted(edge.to)) [label=\(Self.quoted(Self.kilograms(edge.kg)))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `1,234.50 kg`.
    static func kilograms(_ kg: Double) -> String {
        let cents = Int64((kg * 100).rounded())
        let whole = String(abs(cents) / 100)
        var grouped = ""
        for (index, digit) in whole.reversed().enumerated() {
            if index > 0, index % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (cents < 0 ? "-" : "") + String(grouped.reversed()) + "." + String(format: "%02d", abs(cents) % 100) + " kg"
    }

    private static func style(_ node: Node) -> String {
        switch node.kind {
        case .lot: return "fillcolor=\"#DEEBF7\""
        case .balance: return "fillcolor=\"#F2F2F2\", shape=box, style=\"rounded,filled,dashed\""
        case .batch: return "fillcolor=\"#FFF2CC\""
        case .shipment, .order: return node.isOpen ? "fillcolor=\"#FDC48F\", penwidth=2" : "fillcolor=\"#9ECAE1\""
        case .rest: return "fillcolor=\"#FFFFFF\", style=\"rounded,dashed\""
        }
    }

    /// A DOT string literal.
    static func quoted(_ text: String) -> String {
        "\"" + escaped(text) + "\""
    }

    /// Text made safe inside a DOT string: backslashes and quotes escaped, line breaks and control characters as
    /// spaces (`\n` in a label is the drawing's own line break).
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
