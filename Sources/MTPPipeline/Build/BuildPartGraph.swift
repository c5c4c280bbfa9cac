/// The order a full build's parts must keep, read from their SQL: a part waits for every earlier part (in the
/// order of `sql/build`) that names one of the same tables, views or functions of the build, where either of the
/// two writes it; parts that only read an object, or only append rows to it (each check's findings), do not wait
/// for each other. What the parts read that no part makes (the snapshot, the scope, what the build read of
/// Manager) is there before the first part starts.
///
/// The order is derived, not declared, so that it cannot drift from the SQL: a part that names a table waits for
/// it. Reading more than it names is impossible, and naming it in a string or a comment of its own only makes it
/// wait longer than it needs to (comments are left out).
public struct BuildPartGraph: Sendable {
    /// The parts, in the order of `sql/build`.
    public var parts: [BuildPart]
    /// For each part, the earlier parts it waits for (their indices in ``parts``).
    public var dependencies: [[Int]]

    /// The graph of `parts`.
    public init(parts: [BuildPart]) {
        self.parts = parts
        let analysed = parts.map { $0.uses() }
        let objects = analysed.reduce(into: Set<String>()) { $0.formUnion($1.created) }
        let uses = analysed.map { $0.uses.filter { objects.contains($0.key) } }
        dependencies = parts.indices.map { i in
            (0..<i).filter { j in
                uses[i].contains { object, use in
                    guard let earlier = uses[j][object] else { return false }
                    return !(use == earlier && (use == .reads || use == .appends))
                }
            }
        }
    }

    /// For each part, the longest way from its start to the end of the build through the parts that wait for it,
    /// in `seconds` (each part's time in an earlier build, by ``BuildPart/key``; a part without one counts as the
    /// mean of those known, or 1): the critical path's parts come first, as ninja schedules a build from its log.
    public func priorities(seconds: [String: Double]) -> [Double] {
        let known = parts.compactMap { seconds[$0.key] }
        let unknown = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        var longest = parts.map { seconds[$0.key] ?? unknown }
        let own = longest
        var waiting = parts.indices.map { _ in [Int]() }
        for (i, earlier) in dependencies.enumerated() { for j in earlier { waiting[j].append(i) } }
        for i in parts.indices.reversed() {
            longest[i] = own[i] + (waiting[i].map { longest[$0] }.max() ?? 0)
        }
        return longest
    }
}
