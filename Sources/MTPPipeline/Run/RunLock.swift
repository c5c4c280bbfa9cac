import Foundation
import Postgres

/// The pipeline's no-overlap lock: a session advisory lock in Manager, held by a run's ledger connection for the
/// run's whole life, and by `import-plans`, `pull-central`, `build` and `report` for theirs, so no two of them
/// ever interleave (a manual build beside a run deadlocked on the schema swap; two imports of one file both
/// imported it). It is the session's, so a killed command leaves no stale lock.
public enum RunLock {
    /// How long a stage command waits for a run or another command before it gives up busy (exit 4): 5 minutes,
    /// or what `MTP_LOCK_WAIT` says (`30s`, `20min`; `0` gives up at once).
    public static var commandWaitSeconds: Double {
        ProcessInfo.processInfo.environment["MTP_LOCK_WAIT"].flatMap(DurationText.parse) ?? 5 * 60
    }

    /// The advisory lock key ('mtp' in ASCII), shown in `pg_locks` as classid 0, objid 7173232.
    static let key: Int64 = 0x6D7470

    /// Runs `body` holding the lock on a session of its own (named `applicationName`), waiting up to `wait`
    /// seconds for its holder to finish; then gives up busy, naming the holder. The lock goes with the session on
    /// every path, a kill included.
    public static func holding<T>(_ manager: String, applicationName: String, wait: Double = RunLock.commandWaitSeconds,
                                  _ body: () throws -> T) throws -> T {
        let connection = try Connection.connect(manager, applicationName: applicationName)
        let deadline = Date().addingTimeInterval(wait)
        while try !tryAcquire(connection) {
            guard Date() < deadline else {
                throw PipelineError(.busy, "the pipeline is busy: \(try describeHolder(connection)); \(applicationName) waited \(DurationText.format(wait)) and gave up")
            }
            Thread.sleep(forTimeInterval: 0.2)
        }
        defer { _ = try? connection.query("select pg_advisory_unlock($1)", [key]) }
        return try body()
    }

    /// The suffix of the session name a stage command holds the lock with.
    public static let commandSessionSuffix = " (lock)"

    /// Takes the lock for a run: at once, or, while a stage command (not another run) holds it, as soon as that
    /// ends within `wait` seconds. False when another run holds it, or the command outlasts the wait.
    static func acquireForRun(_ connection: Connection, wait: Double = RunLock.commandWaitSeconds) throws -> Bool {
        let deadline = Date().addingTimeInterval(wait)
        while try !tryAcquire(connection) {
            // No holder any more (it finished between the two looks): try again at once.
            guard let isCommand = try holderIsCommand(connection) else { continue }
            guard isCommand, Date() < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return true
    }

    /// Whether the lock's holder is a stage command (its session is named so) rather than a run; nil when no
    /// session holds it.
    static func holderIsCommand(_ connection: Connection) throws -> Bool? {
        let row = try connection.query("""
            select count(*) > 0, coalesce(bool_or(a.application_name like '%' || $2), false)
              from pg_locks l left join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $1 and l.objsubid = 1
            """, [Int64(key & 0xFFFF_FFFF), commandSessionSuffix]).first!
        return try row.decode(Bool.self, 0) ? try row.decode(Bool.self, 1) : nil
    }

    /// Takes the lock without waiting; false when another session holds it.
    static func tryAcquire(_ connection: Connection) throws -> Bool {
        try connection.query("select pg_try_advisory_lock($1)", [key]).first!.decode(Bool.self, 0)
    }

    /// Names the holder of the lock: its run (id, host, pid, start) from the ledger when it has written its row
    /// yet, else its session as PostgreSQL sees it.
    static func describeHolder(_ connection: Connection) throws -> String {
        let holder = try connection.query("""
            select l.pid, a.application_name, to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS TZ'), a.client_addr::text
              from pg_locks l
              left join pg_stat_activity a on a.pid = l.pid
             where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $1 and l.objsubid = 1
            """, [Int64(key & 0xFFFF_FFFF)]).first
        guard let holder else { return "another run held the lock a moment ago" }
        let backendPID = try holder.decode(Int32.self, 0)
        let ledger = try connection.query("select to_regclass('mtp.run') is not null").first!.decode(Bool.self, 0)
        if ledger, let run = try connection.query("""
            select run_id, host, pid, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ') from mtp.run
             where backend_pid = $1 and outcome = 'running' order by run_id desc limit 1
            """, [backendPID]).first {
            return "run \(try run.decode(Int64.self, 0)) on host \(try run.decode(String.self, 1)), pid \(try run.decode(Int32.self, 2)), started \(try run.decode(String.self, 3))"
        }
        let name = (try holder.decode(String?.self, 1)).flatMap { $0.isEmpty ? nil : $0 } ?? "a session"
        let place = "session \(backendPID) from \((try holder.decode(String?.self, 3)) ?? "a local socket") since \((try holder.decode(String?.self, 2)) ?? "?")"
        return name.hasSuffix("ledger") ? "a run starting up (\(name), \(place))" : "\(name) (\(place))"
    }
}
