import Postgres

/// The no-overlap lock of scheduled runs: a session advisory lock in Manager, held by the run's ledger
/// connection for the run's whole life. It is the session's, so a killed run leaves no stale lock.
enum RunLock {
    /// The advisory lock key ('mtp' in ASCII), shown in `pg_locks` as classid 0, objid 7173232.
    static let key: Int64 = 0x6D7470

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
        let name = (try holder.decode(String?.self, 1)) ?? "?"
        return "a run starting up (\(name), session \(backendPID) from \((try holder.decode(String?.self, 3)) ?? "a local socket") since \((try holder.decode(String?.self, 2)) ?? "?"))"
    }
}
