import Foundation
import Postgres

/// What the pull learns of the Central server it reads before it takes its instant (a primary or a hot-standby
/// replica, how far a standby is behind, whether the connection is encrypted), and the WAL position of that
/// instant, read with it.
struct CentralSource: Sendable {
    /// A hot-standby replica (`pg_is_in_recovery()`).
    var isStandby: Bool
    /// Seconds a standby is behind its primary: 0 when it has replayed all it received, else the age of the last
    /// transaction it replayed (or, when it has replayed none since it started, the time since then: an unknown
    /// lag counts as the longest it can be). Nil on a primary.
    var replayLagSeconds: Double?
    /// The WAL position: replayed on a standby, written on a primary; the pull records the instant's.
    var walPosition: String?
    /// TLS on the connection (`pg_stat_ssl`).
    var encrypted: Bool

    /// The WAL position a query sees: replayed on a standby, written on a primary (text).
    static let walPositionSQL = "(case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end)::text"

    /// Reads it on `connection` (Central, any transaction).
    static func inspect(_ connection: Connection) throws -> CentralSource {
        let row = try connection.query("""
            select pg_is_in_recovery(),
                   case when not pg_is_in_recovery() then null
                        when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
                        else extract(epoch from now() - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time()))::float8 end,
                   \(walPositionSQL),
                   coalesce((select ssl from pg_stat_ssl where pid = pg_backend_pid()), false)
            """).first!
        return CentralSource(isStandby: try row.decode(Bool.self, 0), replayLagSeconds: try row.decode(Double?.self, 1),
                             walPosition: try row.decode(String?.self, 2), encrypted: try row.decode(Bool.self, 3))
    }

    /// A Unix socket directory or the loopback: a connection that never leaves the machine, where TLS adds nothing.
    static func isLocal(host: String) -> Bool {
        host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") || ["localhost", "127.0.0.1", "::1"].contains(host)
    }

    /// The transaction every table is read in, one instant for all: on a primary `serializable, read only,
    /// deferrable` (a safe snapshot); a standby has no serializable, and `repeatable read, read only` is its
    /// consistent instant.
    var snapshotTransaction: TransactionOptions {
        isStandby ? TransactionOptions(isolation: .repeatableRead, readOnly: true) : .consistentSnapshot
    }
}
