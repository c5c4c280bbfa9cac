-- The lots a forward question may mean: every tealine and blendbalance lot with the code ($1), or the one
-- created at $2 (milliseconds) when given. Several rows: the code is ambiguous, and the rows are the choices.
-- Inputs: snapshot.tealine, snapshot.blendbalance. Output: kind, item_code, created_ts, created (ISO 8601, UTC).

with lots as (
    select 'tealine' as kind, item_code, created_ts from snapshot.tealine
    union all
    select 'blendbalance', item_code, created_ts from snapshot.blendbalance
)

select kind, item_code, created_ts,
       to_char(to_timestamp(created_ts / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created
  from lots
 where item_code = $1 and ($2::bigint is null or created_ts = $2)
 order by created_ts
