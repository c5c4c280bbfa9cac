import ArgumentParser
import MTPPipeline
import Postgres

/// `mtp-etl snapshots`: past Central pulls, newest first.
struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "List past Central pulls, newest first.")

    @Option(help: "How many to list.")
    var last = 20

    @OptionGroup var databases: DatabaseOptions

    func run() throws {
        try CommandEdge.run {
            let manager = try DatabaseConfiguration.resolve(.manager, option: databases.manager)
            try Connection.withConnection(manager) { connection in
                let rows = try connection.query("""
                    select pull_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), outcome,
                           coalesce(to_char(extract(epoch from finished_at - started_at), 'FM999990.0') || ' s', ''),
                           coalesce(rows_total::text, ''), coalesce(central_host || ':' || central_port || '/' || central_database, ''),
                           coalesce(system_identifier, ''), coalesce(to_char(snapshot_at, 'YYYY-MM-DD HH24:MI:SS'), ''), coalesce(error, '')
                      from mtp.central_pull order by pull_id desc limit $1
                    """, [last]).rows
                print("pull  started (UTC)        outcome    duration  rows       central / system id / snapshot at")
                for row in rows {
                    let cells = try (0..<9).map { try row.decode(String.self, $0) }
                    print("\(cells[0].padding(toLength: 5, withPad: " ", startingAt: 0)) \(cells[1])  \(cells[2].padding(toLength: 10, withPad: " ", startingAt: 0)) \(cells[3].padding(toLength: 9, withPad: " ", startingAt: 0)) \(cells[4].padding(toLength: 10, withPad: " ", startingAt: 0)) \(cells[5]) \(cells[6]) \(cells[7])")
                    if !cells[8].isEmpty { print("      error: \(cells[8].prefix(300))") }
                }
            }
        }
    }
}
