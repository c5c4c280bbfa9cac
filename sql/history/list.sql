-- The findings' memory for `mtp-etl findings`: every finding ever seen, or those open now ($1 = 'open'), new
-- ('new': first seen or reopened), or resolved ('resolved'); with $2 (a date, in the session's time zone) only
-- those whose event (first seen or reopened, resolved, for all: the latest of them) is on or after it, else,
-- for new and resolved, those of the latest build.
-- Inputs: mtp.finding_history, mtp.fact_build. Output: the columns of FindingsCommand, as text (times ISO 8601
-- in UTC), open first, then the longest open. An open finding was last seen by the latest build
-- (record_build.sql writes only the findings a build changes).

with latest as (
    select max(build_id) as build_id, max(data_as_of) filter (where build_id = (select max(build_id) from mtp.fact_build)) as data_as_of
      from mtp.fact_build
),

history as (
    select h.*, case when h.resolved_build is null then 'open' else 'resolved' end as status,
           greatest(h.open_since, h.resolved_data_at) as changed_at
      from mtp.finding_history h
),

chosen as (
    select h.*
      from history h
     cross join latest l
     where case $1::text
                when 'open' then h.status = 'open' and ($2::date is null or h.open_since::date >= $2::date)
                when 'new' then case when $2::date is null then h.status = 'open' and h.open_since = l.data_as_of
                                     else h.open_since::date >= $2::date end
                when 'resolved' then h.status = 'resolved'
                                     and case when $2::date is null then h.resolved_build = l.build_id else h.resolved_data_at::date >= $2::date end
                else $2::date is null or h.changed_at::date >= $2::date end
)

select c.check_name, c.severity, c.keys, c.status, c.message,
       to_char(c.first_data_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), c.first_build::text, c.first_pull::text,
       to_char(case c.status when 'open' then l.data_as_of else c.last_data_at end at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       (case c.status when 'open' then l.build_id else c.last_build end)::text,
       to_char(c.resolved_data_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), c.resolved_build::text,
       c.reopened::text, to_char(c.open_since at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       floor(extract(epoch from coalesce(c.resolved_data_at, l.data_as_of) - c.open_since) / 86400)::int::text
  from chosen c
 cross join latest l
 order by c.status = 'open' desc, c.open_since, c.severity = 'error' desc, c.check_name, c.keys
