import Foundation
import Postgres

/// The tables of one pull, copied by several connections at once, all reading the same instant of Central:
/// the first job uses the pull's own transaction; each other job opens a read-only connection whose
/// `repeatable read` transaction imports that transaction's exported snapshot (`set transaction snapshot`), as
/// `pg_dump --jobs` does. Every job has its own Manager connection: it copies a table into `snapshot_next`, then
/// builds that table's key, indexes and statistics (or, for a snapshot changed in place, only the staging
/// table's key and what changed), then takes the next table, largest first. Each job but the first (the pull's
/// own thread) runs on a thread of its own.
final class PullJobs: @unchecked Sendable {
    typealias Copied = (name: String, rows: Int, seconds: Double)

    /// How a job reaches the two systems: Manager's conninfo, a read-only Central session (with the pull's
    /// retries) and the name the sessions show.
    struct Connections: Sendable {
        var manager: String
        var applicationName: String
        var central: @Sendable () throws -> Connection
    }

    private let jobs: Int
    private let connections: Connections
    private let observer: CentralPull.Observer
    private let leader: Connection
    private let exportedSnapshot: String?
    private let changes: SnapshotChanges.Base?
    private let inPlace: Bool
    private let lock = NSLock()
    private var queue: [SourceContract.Table] = []
    private var copied: [String: Copied] = [:]
    private var failure: (any Error)?

    /// `jobs` jobs, the first on `leader` (the pull's own transaction), the others importing `exportedSnapshot`;
    /// with `changes`, each table's changes since the previous snapshot are written beside it; `inPlace` (with
    /// `changes`): the tables are staging for changing the snapshot in place, and their changes are this pull's
    /// alone (the swap carries the earlier ones on).
    init(jobs: Int, connections: Connections, observer: CentralPull.Observer, leader: Connection, exportedSnapshot: String?,
         changes: SnapshotChanges.Base? = nil, inPlace: Bool = false) {
        self.jobs = jobs
        self.changes = changes
        self.inPlace = inPlace && changes != nil
        self.connections = connections
        self.observer = observer
        self.leader = leader
        self.exportedSnapshot = exportedSnapshot
    }

    /// Copies `tables`; returns them in contract order with their rows and seconds. The first error stops every
    /// job at its next table and is thrown once all have stopped.
    func copy(_ tables: [SourceContract.Table]) throws -> [Copied] {
        queue = try largestFirst(tables)
        let jobs = exportedSnapshot == nil ? 1 : min(self.jobs, tables.count)
        // A thread per job, not concurrentPerform: that runs no more iterations at once than there are cores,
        // and a job spends its time waiting on two servers, not computing.
        let finished = DispatchGroup()
        for job in 1..<max(jobs, 1) {
            finished.enter()
            let thread = Thread { [self] in
                runStoppingOthersOnFailure(job: job)
                finished.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        runStoppingOthersOnFailure(job: 0)   // the leader, on the pull's own thread and transaction
        finished.wait()
        if let failure { throw failure }
        return tables.compactMap { copied[$0.name] }
    }

    /// Biggest tables first, so that the last ones to finish are small (sizes from Central's catalog).
    private func largestFirst(_ tables: [SourceContract.Table]) throws -> [SourceContract.Table] {
        var sizes: [String: Int64] = [:]
        for row in try leader.query("""
            select c.relname, pg_total_relation_size(c.oid)
              from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'public' and c.relname = any($1::text[])
            """, [tables.map(\.name)]).rows {
            sizes[try row.decode(String.self, 0)] = try row.decode(Int64.self, 1)
        }
        return tables.enumerated().sorted { (sizes[$0.element.name] ?? 0, -$0.offset) > (sizes[$1.element.name] ?? 0, -$1.offset) }.map(\.element)
    }

    private func next() -> SourceContract.Table? {
        lock.lock()
        defer { lock.unlock() }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    private func runStoppingOthersOnFailure(job: Int) {
        do {
            try run(job: job)
        } catch {
            lock.lock()
            if failure == nil { failure = error }
            queue.removeAll()
            lock.unlock()
        }
    }

    private func run(job: Int) throws {
        let central: Connection
        if job == 0 {
            central = leader
        } else {
            central = try connections.central()
            try central.execute("begin isolation level repeatable read, read only")
            try central.execute("set transaction snapshot \(Self.literal(exportedSnapshot ?? ""))")
        }
        defer { if job != 0 { try? central.execute("rollback") } }
        let manager = try Connection.connect(connections.manager, applicationName: connections.applicationName)
        while let table = next() {
            let started = Date()
            observer.tableStarted?(table.name, central.backendPID)
            var bytes = 0
            let rows = try manager.copyIn(SnapshotSchema.copyIn(table)) { writer in
                try central.copyOut(SnapshotSchema.copyOut(table)) { chunk in
                    try writer.write(chunk)
                    bytes += chunk.count
                    observer.chunkCopied?(table.name, bytes)
                }
            }
            if inPlace {
                // Staging: its key (Central holding a key twice refuses the pull, as a new snapshot's would), no
                // indexes or statistics: the snapshot keeps its own, and only what changed reaches it.
                if let key = SnapshotSchema.primaryKey(table, schema: SnapshotSchema.next) { try manager.execute(key) }
            } else {
                // Keys, indexes and the statistics the build's joins plan with, while other jobs still copy.
                for statement in SnapshotSchema.keysAndIndexes(table, schema: SnapshotSchema.next) {
                    try manager.execute(statement)
                }
                try manager.execute("analyze \(quoteIdentifier(SnapshotSchema.next)).\(quoteIdentifier(table.name))")
            }
            // What changed since the previous snapshot, by the table's key (SnapshotChanges), for the next build.
            if let changes {
                try manager.execute(SnapshotChanges.deltaStatement(table, carried: changes.carried && !inPlace))
            }
            lock.lock()
            copied[table.name] = (table.name, rows, Date().timeIntervalSince(started))
            lock.unlock()
        }
    }

    /// A snapshot id (`00000003-0000001B-1`) as a SQL literal: `set transaction snapshot` takes no parameters.
    static func literal(_ snapshot: String) -> String {
        "'" + snapshot.filter { $0.isHexDigit || $0 == "-" } + "'"
    }
}
