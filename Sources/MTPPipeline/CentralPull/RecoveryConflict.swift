import Postgres

/// A pull from a hot standby ended by replaying the primary's changes: a query cancelled "due to conflict with
/// recovery" (SQLSTATE 40001), or a session in the pull's transaction terminated for it, which can reach the client
/// as a connection closed before the server's words arrive (while the client was not reading). Either way the
/// whole pull may be tried again; nothing of it was kept.
struct RecoveryConflict: Error, CustomStringConvertible {
    /// What the standby's connection reported.
    var error: PostgresError

    /// What the operator can set on the standby so that it does not happen.
    static let advice = "set hot_standby_feedback = on (or a larger max_standby_streaming_delay) on the standby to prevent it"

    var description: String { error.message }

    /// `error` as a recovery conflict when it is one on a standby's connection described by `endpoint`.
    static func classify(_ error: PostgresError, standbyEndpoint endpoint: String) -> RecoveryConflict? {
        if error.message.contains("conflict with recovery") { return RecoveryConflict(error: error) }
        let lost = ["server closed the connection", "connection to server was lost", "no connection to the server", "terminating connection"]
        guard error.context == endpoint, error.code == .connection || lost.contains(where: error.message.contains) else { return nil }
        return RecoveryConflict(error: error)
    }
}
