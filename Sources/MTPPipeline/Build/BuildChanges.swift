import Postgres

/// The inputs an incremental build finds Central's changes in, as temporary relations of its transaction:
/// `delta_<table>` over the pull's `snapshot.delta_<table>` (Manager's are ``ManagerChanges``).
enum BuildChanges {
    /// The statements making `delta_<table>` for every Central table: the pull's changes, or none when the facts
    /// are of the current snapshot already.
    static func centralStatements(factsAreOfCurrentSnapshot: Bool) -> [String] {
        SourceContract.central.map { table in
            let name = quoteIdentifier(SnapshotChanges.deltaName(table))
            // The snapshot's columns, with its instants (`received_at` of `received_ts`), as the facts read them.
            let columns = (table.columns.map { quoteIdentifier($0.name) }
                + SnapshotSchema.instantTwins(table).map { "\($0.expression) as \(quoteIdentifier($0.name))" }).joined(separator: ", ")
            let source = factsAreOfCurrentSnapshot
                ? "select 'new'::text as side, \(columns) from snapshot.\(quoteIdentifier(table.name)) where false"
                : "select side, \(columns) from snapshot.\(name)"
            return "create or replace temp view \(name) as \(source)"
        }
    }

    /// The statement dropping the views of ``centralStatements(factsAreOfCurrentSnapshot:)`` at the end of the
    /// build's transaction (a temporary view lives as long as its session, and would hold the pull's changes).
    static var dropCentralViews: String {
        "drop view if exists " + SourceContract.central.map { "pg_temp.\(quoteIdentifier(SnapshotChanges.deltaName($0)))" }.joined(separator: ", ")
    }

    /// The facts' own tables a comparison leaves out: the build's metadata (its snapshot and times, and each
    /// part's seconds in the last full build) and what it read of Manager.
    static var metadataTables: Set<String> { Set(["build", "build_part"] + SourceContract.manager.map { ManagerChanges.seenName($0.name) }) }
}
