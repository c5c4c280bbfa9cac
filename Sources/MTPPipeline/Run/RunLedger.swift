import Foundation
import Postgres

/// The run ledger (`mtp.run`, `mtp.run_stage`), written on the run's own connection in autocommit, so every
/// row is visible at once and survives a stage's rollback.
struct RunLedger {
    let connection: Connection

    /// Closes runs left 'running' by a process that died (their lock is gone, since we hold it now).
    func closeAbandoned() throws {
        try connection.execute("""
            update mtp.run_stage set outcome = 'interrupted', finished_at = clock_timestamp(),
                   error = 'the process ended before the stage finished'
             where outcome = 'running';
            update mtp.run set outcome = 'abandoned', finished_at = clock_timestamp(),
                   error = 'the process ended before the run finished (killed?); its lock went with its session'
             where outcome = 'running';
            """)
    }

    /// Starts a run's row.
    func begin(host: String, pid: Int32, inbox: String?, asOf: Date?) throws -> Int64 {
        try connection.query("""
            insert into mtp.run (host, pid, backend_pid, inbox, as_of) values ($1, $2, pg_backend_pid(), $3, $4) returning run_id
            """, [host, pid, inbox, asOf]).first!.decode(Int64.self, 0)
    }

    /// Records a stage as started.
    func stageStarted(run: Int64, position: Int, stage: RunStage, at start: Date) throws {
        try connection.query("insert into mtp.run_stage (run_id, position, stage, started_at) values ($1, $2, $3, $4)",
                             [run, position, stage.rawValue, start])
    }

    /// Records a stage's end.
    func stageFinished(run: Int64, position: Int, _ summary: StageSummary) throws {
        let counts = String(decoding: try JSONEncoder.sorted.encode(summary.counts), as: UTF8.self)
        try connection.query("""
            update mtp.run_stage set finished_at = clock_timestamp(), outcome = $3, seconds = $4, counts = $5::jsonb,
                   peak_rss_mib = $6, error = $7
             where run_id = $1 and position = $2
            """, [run, position, summary.outcome.rawValue, summary.seconds, counts, summary.peakRSSMiB, summary.error])
    }

    /// Records the run's end.
    func finish(run: Int64, _ summary: RunSummary) throws {
        try connection.query("""
            update mtp.run set finished_at = clock_timestamp(), outcome = $2, exit_code = $3, workbook = $4,
                   failed_stage = $5, error = $6, data_age_seconds = $7, stale = $8
             where run_id = $1
            """, [run, summary.outcome.rawValue, Int(summary.exitCode), summary.workbook, summary.failedStage?.rawValue, summary.error,
                  summary.dataAgeSeconds, summary.stale])
    }
}

extension JSONEncoder {
    /// An encoder with sorted keys, for stable JSON in the ledger.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }
}
