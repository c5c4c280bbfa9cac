import Postgres

/// Applies one staged import to `order_plan` in set-based SQL (`sql/import/`): rows of the same order code that
/// differ are all rejected as a conflict naming their lines; identical repeats count once; the rest is upserted by
/// order code.
struct PlanNormaliser {
    /// What normalising did.
    struct Counts {
        var imported = 0
        var inserted = 0
        var updated = 0
        var rejected = 0
        var skipped = 0
    }

    let importID: Int64
    /// `sql/import`: the statements, each taking the import's id as `$1`.
    let sql: SQLStatements

    /// Applies the import, finding conflicting duplicates first only when there are any; `stagedRejects` is how
    /// many rows the value checks already rejected.
    ///
    /// New plans only (the common first import) go in by a plain insert. Otherwise a plain upsert is tried inside a savepoint: PostgreSQL refuses it (SQLSTATE 21000) exactly when one
    /// order code would be written twice, i.e. when the file repeats a code. Only then are the statistics refreshed
    /// (a million fresh rows otherwise look like a handful to the planner), the conflicting rows rejected and the
    /// grouping upsert run. Files without repeats skip all three.
    func run(_ connection: Connection, stagedRows: Int, stagedRejects: Int, sampleCodes: [String]) throws -> Counts {
        // A file of new plans (a sample of its lines finds none in order_plan) takes a plain insert, half the
        // cost of an upsert; a repeated or existing code makes it fail (23505) and the upsert below decides.
        if try !connection.query(try sql.text("existing_codes"), [sampleCodes]).first!.decode(Bool.self, 0) {
            try connection.execute("savepoint plan_insert")
            do {
                let inserted = try connection.query(try sql.text("insert_new"), [importID]).affectedRows ?? 0
                try connection.execute("release savepoint plan_insert")
                return Counts(imported: inserted, inserted: inserted, updated: 0, rejected: stagedRejects, skipped: 0)
            } catch let error as PostgresError where error.sqlState == "23505" {
                try connection.execute("rollback to savepoint plan_insert")
            }
        }
        try connection.execute("savepoint plan_upsert")
        do {
            let row = try connection.query(try sql.text("upsert_unique"), [importID]).first!
            try connection.execute("release savepoint plan_upsert")
            // No code repeats: every accepted row is one plan.
            return Counts(imported: stagedRows - stagedRejects, inserted: try row.decode(Int.self, 0), updated: try row.decode(Int.self, 1),
                          rejected: stagedRejects, skipped: 0)
        } catch let error as PostgresError where error.sqlState == "21000" {
            try connection.execute("rollback to savepoint plan_upsert")
        }
        try connection.execute("analyze public.order_plan_raw (import_id, reject_reason, order_code, n_order_code)")
        let conflicts = try connection.query(try sql.text("mark_conflicts"), [importID]).affectedRows ?? 0
        let row = try connection.query(try sql.text("upsert_grouped"), [importID]).first!
        return Counts(imported: try row.decode(Int.self, 0), inserted: try row.decode(Int.self, 2),
                      updated: try row.decode(Int.self, 3), rejected: stagedRejects + conflicts,
                      skipped: try row.decode(Int.self, 1))
    }
}
