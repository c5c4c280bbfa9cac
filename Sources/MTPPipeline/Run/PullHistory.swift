import Postgres

/// The pull ledger as text: one line per Central pull, newest first, with where it read from and its error.
public enum PullHistory {
    /// The last `last` pulls, under a header line.
    public static func render(_ connection: Connection, last: Int) throws -> String {
        let rows = try connection.query("""
            select pull_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), outcome,
                   coalesce(to_char(extract(epoch from finished_at - started_at), 'FM999990.0') || ' s', ''),
                   coalesce(rows_total::text, ''), coalesce(central_host || ':' || central_port || '/' || central_database, ''),
                   coalesce(system_identifier, ''), coalesce(to_char(snapshot_at, 'YYYY-MM-DD HH24:MI:SS'), ''), coalesce(error, ''),
                   case when source_is_standby then 'standby, ' || coalesce(to_char(extract(epoch from replay_lag), 'FM999999990') || ' s behind', '?')
                        when source_is_standby = false then 'primary' else '' end
                   || coalesce(', WAL ' || wal_position::text, '') || case when encrypted then ', TLS' when encrypted = false then ', no TLS' else '' end
                   || coalesce(', ' || jobs || ' job' || case when jobs = 1 then '' else 's' end, '')
                   || coalesce(', newest scan ' || to_char(newest_scan_at, 'YYYY-MM-DD HH24:MI:SS')
                               || ' (' || to_char(extract(epoch from snapshot_at - newest_scan_at) / 3600, 'FM999999990.0') || ' h before the snapshot)', '')
              from mtp.central_pull order by pull_id desc limit $1
            """, [last]).rows
        var lines = ["pull  started (UTC)        outcome    duration  rows       central / system id / snapshot at"]
        for row in rows {
            let cells = try (0..<10).map { try row.decode(String.self, $0) }
            lines.append("\(cells[0].padding(toLength: 5, withPad: " ", startingAt: 0)) \(cells[1])  \(cells[2].padding(toLength: 10, withPad: " ", startingAt: 0)) \(cells[3].padding(toLength: 9, withPad: " ", startingAt: 0)) \(cells[4].padding(toLength: 10, withPad: " ", startingAt: 0)) \(cells[5]) \(cells[6]) \(cells[7])")
            if !cells[9].isEmpty { lines.append("      source: \(cells[9])") }
            if !cells[8].isEmpty { lines.append("      error: \(cells[8].prefix(300))") }
        }
        return lines.joined(separator: "\n")
    }
}
