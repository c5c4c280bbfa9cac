import Postgres

/// The run ledger as text: one line per run, one indented line per stage, newest run first.
public enum RunHistory {
    /// The last `last` runs.
    public static func render(_ connection: Connection, last: Int) throws -> String {
        let runs = try connection.query("""
            select run_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS TZ'),
                   to_char(extract(epoch from coalesce(finished_at, clock_timestamp()) - started_at), 'FM999990.0'),
                   -- a run still 'running' whose session no longer holds the run lock has lost its process
                   case when outcome = 'running' and not exists (
                            select 1 from pg_locks l
                             where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $2 and l.pid = mtp.run.backend_pid)
                        then 'abandoned (its process is gone; the next run closes it)' else outcome end,
                   exit_code, host, pid, workbook, error, data_age_seconds::float8, stale
              from mtp.run order by run_id desc limit $1
            """, [last, Int64(RunLock.key & 0xFFFF_FFFF)]).rows
        guard !runs.isEmpty else { return "no runs yet" }
        var lines: [String] = []
        for run in runs {
            let id = try run.decode(Int64.self, 0)
            let exit = (try run.decode(Int32?.self, 4)).map(String.init) ?? "-"
            lines.append("run \(id)  \(try run.decode(String.self, 1))  \(try run.decode(String.self, 2)) s  \(try run.decode(String.self, 3))  exit \(exit)  \(try run.decode(String.self, 5)) pid \(try run.decode(Int32.self, 6))")
            let stages = try connection.query("""
                select stage, outcome, to_char(seconds, 'FM999990.0'), counts::text, peak_rss_mib::text, error
                  from mtp.run_stage where run_id = $1 order by position
                """, [id]).rows
            for stage in stages {
                var line = "    \(try stage.decode(String.self, 0).padding(toLength: 13, withPad: " ", startingAt: 0)) \(try stage.decode(String.self, 1).padding(toLength: 11, withPad: " ", startingAt: 0)) \((try stage.decode(String?.self, 2)) ?? "-") s"
                if let memory = try stage.decode(String?.self, 4) { line += "  peak \(memory) MiB" }
                let counts = try stage.decode(String.self, 3)
                if counts != "{}" { line += "  \(counts)" }
                if let error = try stage.decode(String?.self, 5) { line += "\n        \(error)" }
                lines.append(line)
            }
            if let workbook = try run.decode(String?.self, 7) {
                // The data's age as the workbook says it (DataAge.roughly), and whether it was past --max-data-age.
                let age = try run.decode(Double?.self, 9).map {
                    ", data \(DataAge.roughly($0)) old" + (try run.decode(Bool.self, 10) ? " (STALE: past --max-data-age)" : "")
                } ?? ""
                lines.append("    workbook \(workbook)\(age)")
            }
            if let error = try run.decode(String?.self, 8) { lines.append("    error: \(error)") }
        }
        return lines.joined(separator: "\n")
    }
}
