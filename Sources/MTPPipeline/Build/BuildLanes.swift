import Foundation
import Postgres

/// A full build's parts run on several connections at once, as the pull copies its tables: each lane takes the
/// next part whose dependencies (``BuildPartGraph``) have committed, the one on the longest way to the build's
/// end first (``BuildPartGraph/priorities(seconds:)``), and runs it in a transaction of its own; the first lane
/// is the build's own connection, each other one opens its own on a thread of its own. The first failure stops every lane at its next part and is thrown once all
/// have stopped; what the parts committed is in the schema being written, which nothing reads until the build
/// publishes it (and the next build drops it).
final class BuildLanes: @unchecked Sendable {
    private let graph: BuildPartGraph
    private let priorities: [Double]
    private let lanes: Int
    private let leader: Connection
    private let connect: FactsBuild.Connect?
    private let prepare: @Sendable (Connection) throws -> Void
    private let condition = NSCondition()
    private var started: Set<Int> = []
    private var finished: Set<Int> = []
    private var failure: (any Error)?
    private var seconds: [Int: Double] = [:]

    /// `lanes` lanes over `graph`, the first on `leader`, the others on connections from `connect` (none: one
    /// lane), the ready part of the highest of `priorities` first; `prepare` sets up each part's transaction (its
    /// schema, mode and settings) before the part runs.
    init(graph: BuildPartGraph, priorities: [Double], lanes: Int, leader: Connection, connect: FactsBuild.Connect?,
         prepare: @escaping @Sendable (Connection) throws -> Void) {
        self.graph = graph
        self.priorities = priorities
        self.lanes = connect == nil ? 1 : max(1, min(lanes, graph.parts.count))
        self.leader = leader
        self.connect = connect
        self.prepare = prepare
    }

    /// Runs every part; returns each part's seconds, in the graph's order.
    func run() throws -> [Double] {
        let done = DispatchGroup()
        for _ in 1..<lanes {
            done.enter()
            let thread = Thread { [self] in
                // A lane that cannot connect (the server at max_connections, say) leaves its parts to the others.
                if let connection = try? connect?() {
                    runStoppingOthersOnFailure { try run(on: connection) }
                }
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        runStoppingOthersOnFailure { try run(on: leader) }
        done.wait()
        if let failure { throw failure }
        return graph.parts.indices.map { seconds[$0] ?? 0 }
    }

    private func runStoppingOthersOnFailure(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            condition.lock()
            if failure == nil { failure = error }
            condition.broadcast()
            condition.unlock()
        }
    }

    private func run(on connection: Connection) throws {
        while let part = next() {
            let clock = Date()
            do {
                try connection.withTransaction(.init(isolation: .repeatableRead)) { connection in
                    try prepare(connection)
                    try connection.execute(graph.parts[part].sql)
                }
            } catch let error as PostgresError {
                throw PipelineError(.operational, "build step \(graph.parts[part].description) failed; the previous facts are unchanged: \(error)")
            }
            condition.lock()
            finished.insert(part)
            seconds[part] = Date().timeIntervalSince(clock)
            condition.broadcast()
            condition.unlock()
        }
    }

    /// The next part to run, waiting until one is ready; nil when every part has started or one failed.
    private func next() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while failure == nil, started.count < graph.parts.count {
            let ready = graph.parts.indices.filter { !started.contains($0) && graph.dependencies[$0].allSatisfy(finished.contains) }
            if let part = ready.max(by: { (priorities[$0], -$0) < (priorities[$1], -$1) }) {
                started.insert(part)
                return part
            }
            condition.wait()
        }
        return nil
    }
}
