-- The lots a forward question may mean: every tealine and blendbalance lot with the code ($1), or the one
-- created at $2 (milliseconds) when given. Several rows: the code is ambiguous, and the rows are the choices.
-- Inputs: snapshot.tealine, snapshot.blendbalance. Output: kind, item_code, created_ts, created (ISO 8601, UTC),
-- shared (how many lots have the code), created_local (YYYY-MM-DD HH24:MI in the session's time zone).
-- Rule: a lot is named by its code as people read it; its creation, in the report's zone, only where two lots
-- share the code.

with lots as (
    select 'tealine' as kind, item_code, created_ts from snapshot.tealine
    union all
    select 'blendbalance', item_code, created_ts from snapshot.blendbalance
),

named as (
    select kind, item_code, created_ts, count(*) over () as shared
      from lots
     where item_code = $1
)

select kind, item_code, created_ts,
       to_char(to_timestamp(created_ts / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created,
       shared::int8, to_char(to_timestamp(created_ts / 1000.0), 'YYYY-MM-DD HH24:MI') as created_local
  from named
 where $2::bigint is null or created_ts = $2
 order by created_ts
