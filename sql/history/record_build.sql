-- Records a build and what it found into the findings' memory (migration 0010), in the build's transaction,
-- before the facts are published: a finding seen now is new (first seen), still open (last seen moves on) or
-- reopened (it was resolved); one not seen now that was open is resolved by this build.
-- Inputs: build and finding of the schema the build writes (the search path's first: facts_next for a full
-- build, facts for an incremental one), the build's settings mtp.build_keys (the keys recomputed, JSON),
-- mtp.finding_history. Output: one row: build_id, new, reopened, resolved, open.
-- Rule: a finding is its check and its keys; where the facts hold several of one (two batches of one code), it
-- is one, with the first message.
-- Rule: an open finding was seen by every build since it opened (one that did not see it resolved it), so its
-- last sighting is the latest build, which list.sql shows; a build writes only the findings it changes (new,
-- reopened, restated, resolved), and resolving one records the build before as its last sighting. Every open
-- finding written again by every build made the memory's cost grow with the factory's history, not its day.

with build as (
    insert into mtp.fact_build (pull_id, built_at, data_as_of, mode, full_reason, keys_recomputed, seconds)
    select pull_id, built_at, data_as_of, mode, full_reason, current_setting('mtp.build_keys')::jsonb,
           extract(epoch from clock_timestamp() - now())
      from build
    returning build_id, pull_id, data_as_of
),

seen as (
    select distinct on (check_name, keys) check_name, keys, severity, message
      from finding
     order by check_name, keys, severity, message
),

before as (
    select check_name, keys, severity, message, resolved_build from mtp.finding_history
),

previous as (
    select build_id, data_as_of from mtp.fact_build order by build_id desc limit 1
),

recorded as (
    insert into mtp.finding_history as h (check_name, keys, severity, message, first_build, first_pull, first_data_at,
                                          last_build, last_data_at, open_since)
    select s.check_name, s.keys, s.severity, s.message, b.build_id, b.pull_id, b.data_as_of, b.build_id, b.data_as_of, b.data_as_of
      from seen s
     cross join build b
     where not exists (select 1 from before o
                        where o.check_name = s.check_name and o.keys = s.keys and o.resolved_build is null
                          and o.severity = s.severity and o.message = s.message)   -- still open as it was: nothing to write
        on conflict (check_name, md5(keys)) do update
       set severity = excluded.severity, message = excluded.message,
           last_build = excluded.last_build, last_data_at = excluded.last_data_at,
           open_since = case when h.resolved_build is not null then excluded.last_data_at else h.open_since end,
           reopened = h.reopened + case when h.resolved_build is not null then 1 else 0 end,
           resolved_build = null, resolved_data_at = null
     where h.resolved_build is not null or h.severity <> excluded.severity or h.message <> excluded.message
),

resolved as (
    update mtp.finding_history h
       set resolved_build = b.build_id, resolved_data_at = b.data_as_of,
           last_build = coalesce(p.build_id, h.last_build), last_data_at = coalesce(p.data_as_of, h.last_data_at)
      from build b
      left join previous p on true
     where h.resolved_build is null
       and not exists (select 1 from seen s where s.check_name = h.check_name and s.keys = h.keys)
    returning h.check_name
)

select (select build_id from build),
       (select count(*) from seen s where not exists (select 1 from before o where o.check_name = s.check_name and o.keys = s.keys)),
       (select count(*) from seen s join before o using (check_name, keys) where o.resolved_build is not null),
       (select count(*) from resolved),
       (select count(*) from seen)
