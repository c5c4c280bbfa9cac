import Postgres

/// Applies one staged import to `order_plan` in set-based SQL: rows of the same order code that differ are all
/// rejected as a conflict naming their lines; identical repeats count once; the rest is upserted by order code.
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

    /// Rejects conflicting duplicates, in two cheap passes: codes first, then only their lines.
    static let markConflicts = """
        with staged as (
            select source_line, coalesce(n_order_code, order_code) as n_order_code,
                   coalesce(n_product_name, product_name) as n_product_name, n_requirement, n_plan_start, n_plan_end
              from public.order_plan_raw
             where import_id = $1 and reject_reason is null
        ),
        conflicting_codes as (
            select n_order_code
              from staged
             group by n_order_code
            having count(*) > 1
               and (min(n_product_name) <> max(n_product_name) or min(n_requirement) <> max(n_requirement)
                    or min(n_plan_start) <> max(n_plan_start) or min(n_plan_end) <> max(n_plan_end))
        ),
        conflict_lines as (
            select staged.n_order_code, string_agg(staged.source_line::text, ', ' order by staged.source_line) as lines
              from staged
              join conflicting_codes using (n_order_code)
             group by staged.n_order_code
        )
        update public.order_plan_raw as raw
           set reject_reason = 'order_code ' || conflict_lines.n_order_code || ' appears on lines '
                               || conflict_lines.lines || ' with different values'
          from conflict_lines
         where raw.import_id = $1 and raw.reject_reason is null
           and coalesce(raw.n_order_code, raw.order_code) = conflict_lines.n_order_code
        """

    /// A later import revises an earlier plan (only when something differs); nothing is deleted.
    static let revise = """
        on conflict (order_code) do update
           set product_name = excluded.product_name, requirement = excluded.requirement,
               plan_start = excluded.plan_start, plan_end = excluded.plan_end
         where (plan.product_name, plan.requirement, plan.plan_start, plan.plan_end)
               is distinct from (excluded.product_name, excluded.requirement, excluded.plan_start, excluded.plan_end)
        returning (xmax = 0) as inserted
        """

    /// Upserts the import's accepted rows by order code when no code repeats (the common case): PostgreSQL
    /// refuses it with SQLSTATE 21000 as soon as one code would be written twice. The staged rows are read once
    /// (their number is known to the client), so the plan streams them instead of materialising a million.
    static let upsertUnique = """
        with upserted as (
            insert into public.order_plan as plan (order_code, product_name, requirement, plan_start, plan_end)
            select coalesce(n_order_code, order_code), coalesce(n_product_name, product_name), n_requirement, n_plan_start, n_plan_end
              from public.order_plan_raw
             where import_id = $1 and reject_reason is null
            \(revise)
        )
        select count(*) filter (where inserted), count(*) filter (where not inserted)
          from upserted
        """

    /// Inserts the import's accepted rows as new plans.
    static let insertNew = """
        insert into public.order_plan (order_code, product_name, requirement, plan_start, plan_end)
        select coalesce(n_order_code, order_code), coalesce(n_product_name, product_name), n_requirement, n_plan_start, n_plan_end
          from public.order_plan_raw
         where import_id = $1 and reject_reason is null
        """

    /// True when none of `codes` (a sample of the import's accepted order codes, taken while staging) has a
    /// plan yet: index probes only, whatever the table statistics say.
    static func looksNew(_ connection: Connection, codes: [String]) throws -> Bool {
        try !connection.query("select exists (select 1 from public.order_plan where order_code = any($1::text[]))", [codes])
            .first!.decode(Bool.self, 0)
    }

    /// Upserts the import's accepted rows by order code, identical repeats counted once, and counts what happened.
    static let upsert = """
        with staged as (
            select coalesce(n_order_code, order_code) as n_order_code, coalesce(n_product_name, product_name) as n_product_name,
                   n_requirement, n_plan_start, n_plan_end
              from public.order_plan_raw
             where import_id = $1 and reject_reason is null
        ),
        plans as (
            select n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end, count(*) as copies
              from staged
             group by n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end
        ),
        upserted as (
            insert into public.order_plan as plan (order_code, product_name, requirement, plan_start, plan_end)
            select n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end
              from plans
            \(revise)
        ),
        plan_counts as (
            select count(*) as imported, coalesce(sum(copies), 0) - count(*) as skipped
              from plans
        ),
        upsert_counts as (
            select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated
              from upserted
        )
        select plan_counts.imported, plan_counts.skipped, upsert_counts.inserted, upsert_counts.updated
          from plan_counts
         cross join upsert_counts
        """

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
        if try Self.looksNew(connection, codes: sampleCodes) {
            try connection.execute("savepoint plan_insert")
            do {
                let inserted = try connection.query(Self.insertNew, [importID]).affectedRows ?? 0
                try connection.execute("release savepoint plan_insert")
                return Counts(imported: inserted, inserted: inserted, updated: 0, rejected: stagedRejects, skipped: 0)
            } catch let error as PostgresError where error.sqlState == "23505" {
                try connection.execute("rollback to savepoint plan_insert")
            }
        }
        try connection.execute("savepoint plan_upsert")
        do {
            let row = try connection.query(Self.upsertUnique, [importID]).first!
            try connection.execute("release savepoint plan_upsert")
            // No code repeats: every accepted row is one plan.
            return Counts(imported: stagedRows - stagedRejects, inserted: try row.decode(Int.self, 0), updated: try row.decode(Int.self, 1),
                          rejected: stagedRejects, skipped: 0)
        } catch let error as PostgresError where error.sqlState == "21000" {
            try connection.execute("rollback to savepoint plan_upsert")
        }
        try connection.execute("analyze public.order_plan_raw (import_id, reject_reason, order_code, n_order_code)")
        let conflicts = try connection.query(Self.markConflicts, [importID]).affectedRows ?? 0
        let row = try connection.query(Self.upsert, [importID]).first!
        return Counts(imported: try row.decode(Int.self, 0), inserted: try row.decode(Int.self, 2),
                      updated: try row.decode(Int.self, 3), rejected: stagedRejects + conflicts,
                      skipped: try row.decode(Int.self, 1))
    }
}
