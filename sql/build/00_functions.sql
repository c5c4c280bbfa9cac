-- build: every
-- Functions the facts' definitions use, defined once: the paths a trace shows (for the facts that carry a path,
-- 02_attribution, and the traces) and the statistics of a new table. Created in the schema the build writes (the
-- search path's first), replaced as they are by an incremental build.

-- Statistics for a fact table a full build has just written, before the next statement reads it: a new table
-- has none, and the planner then took the bags of 9,756 lots for a nested loop of 525 s where a hash join takes
-- a second; the first trace and report after a build are planned on the real sizes too (without them the
-- planner took the rows a lot reaches for a thousand and sorted every shipment allocation, 100-200 ms, where an
-- index finds them in a millisecond). An incremental build changes a small part of a table that has them, and
-- leaves them to autovacuum.
create or replace function analyze_when_full(p_table regclass)
returns void language plpgsql as $$
begin
    if current_setting('mtp.build_mode') = 'full' then
        execute format('analyze %s', p_table);
    end if;
end
$$;

-- An index of a fact table (`create [unique] index <name> on ...`), made unless one of its name is there (in the
-- schema the build writes, the search path's first). `create index if not exists` takes a share lock on its table
-- before it looks for the index: an incremental build, whose indexes are all there, then waited behind
-- autovacuum's vacuum of each table it writes, a second each (the deadlock timeout, after which autovacuum gives
-- way): one day's build in three took 5-9 s, not 1-2.
create or replace function ensure_index(p_definition text)
returns void language plpgsql as $$
declare
    index_name text := substring(p_definition from '^create (?:unique )?index (\w+) on ');
begin
    if index_name is null then
        raise exception 'ensure_index: % does not name its index', p_definition;
    end if;
    if to_regclass(quote_ident(index_name)) is null then
        execute p_definition;
    end if;
end
$$;

-- The path a trace shows from a root lot (or the first batch) to a batch: the first six batches, then how many
-- more, then the last one, so that a chain of a thousand batches reads in one line.
create or replace function shown_path(p_prefix text, p_batches int, p_last text)
returns text language sql immutable parallel safe as $$
    select case when p_batches <= 6 then p_prefix
                when p_batches = 7 then p_prefix || ' > ' || p_last
                else p_prefix || ' > … ' || to_char(p_batches - 7, 'FM999G999G999') || ' more … > ' || p_last end
$$;

-- A path walked one batch further: the batch joins it while it holds fewer than the six batches shown_path
-- shows in full; past them only the count grows (the caller adds 1 to p_batches), so a row stays small.
create or replace function path_step(p_prefix text, p_batches int, p_batch text)
returns text language sql immutable parallel safe as $$
    select case when p_batches < 6 then p_prefix || ' > ' || p_batch else p_prefix end
$$;

-- A planner setting that a full build turns off and an incremental build leaves on, as set_config writes it.
create or replace function off_when_full()
returns text language sql stable as $$
    select case when current_setting('mtp.build_mode') = 'full' then 'off' else 'on' end
$$;

-- The joins a scope's size calls for. In a full build every key is in scope and every join is over whole
-- tables: hash joins. The planner cannot see that: the genealogy's keys have two columns (code, creation), a
-- join on both is estimated at one row, and it chose nested loops over aggregates of every bag (146 s for the
-- batches' yields, where a hash join takes a second). An incremental build's scope is small: nested loops
-- over the keys' indexes, as planned. The genealogy's level-wise steps read a level's batches through indexes
-- in either build (plan_by_level). It also turns back on what plan_in_key_order turned off for one statement.
create or replace function plan_for_scope()
returns void language sql as $$
    select set_config('enable_nestloop', off_when_full(), true),
           set_config('enable_hashagg', 'on', true), set_config('enable_hashjoin', 'on', true),
           set_config('enable_sort', 'on', true)
$$;

-- A full build's whole-table joins by bag (record, edge_record_batch), planned as merges in key order: every
-- snapshot table of bags and allocations has its primary key led by barcode (and facts.record its index), so bags
-- and allocations stream in barcode order through merge appends, group aggregates and merge joins, in constant
-- memory. Planned as the planner likes it (a hash aggregate of every bag's allocations, hash joins over every
-- bag), the aggregate spilled to disk past work_mem and the record grew faster than the history: 3.1 s at 1M bags,
-- 9.5 s at 2M, where the merge takes 2.0 and 4.2 s (edge_record_batch at 2M: 1.9 -> 1.2 s). An incremental
-- build's scope is small and keeps plan_for_scope's plan; plan_for_scope() after the statement restores the rest's.
create or replace function plan_in_key_order()
returns void language sql as $$
    select set_config('enable_hashagg', off_when_full(), true), set_config('enable_hashjoin', off_when_full(), true),
           set_config('enable_sort', off_when_full(), true)
$$;

create or replace function plan_by_level()
returns void language sql as $$
    select set_config('enable_nestloop', 'on', true)
$$;

-- The blendsheet bag a blendbalance's transfer_id names (DOMAIN decision 2), as PostgreSQL writes a uuid; a
-- transfer_id of another form (an opening balance's) names no bag. A uuid, so that the bag is found by its key.
create or replace function transfer_barcode(p_transfer_id text)
returns uuid language sql immutable parallel safe as $$
    select case when lower(p_transfer_id) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                then lower(p_transfer_id)::uuid end
$$;
