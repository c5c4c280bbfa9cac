-- build: every
-- Attribution: which root lots (tealine lots, opening blendbalances) make up each batch and each shipment,
-- by DOMAIN.md's proportional rule, through any number of levels, with loops cut where they close and reported.
-- Inputs: edge_record_batch, edge_balance_source, edge_record_shipment (01), the
-- scope_batch and scope_shipment keys. Outputs: batch_input, batch_link, batch_level, batch_composition (keyed
-- by batch), shipment_attribution (keyed by shipment).
-- Rules (each defined once, here): a batch's composition is its root inputs by share plus, for each batch whose
-- balance it took, that share times the batch's composition (03 below); a loop is cut where it closes (02);
-- a root lot whose share of a batch falls below 1e-15 is carried on as part of the batch's one `small` row (so
-- the shares still add up exactly, and the genealogy's depth costs rows only where lots still weigh something);
-- a shipment lists every root lot of at least 0.005 kg, and the rest as one `small` row (04).
-- A batch's level, composition and loops depend only on the batches it took balances of: the scope holds every
-- batch downstream of a change (sql/build/scope/changes.sql), so the batches outside it keep theirs.

select plan_for_scope();

-- part: batch_input
-- 01. Each batch's inputs, grouped by input lot, with the lot's share of everything allocated to the batch.
-- A blendbalance lot that descends from a batch (edge_balance_source) is not a root: it stands for that batch.
create table if not exists batch_input (
    batch_code text, batch_ts bigint, record_kind text, lot_code text, lot_ts bigint, kg numeric, total_kg numeric,
    share numeric, source_batch_code text, source_batch_ts bigint
);
delete from batch_input i using scope_batch s where i.batch_code = s.batch_code and i.batch_ts = s.batch_ts;
insert into batch_input
with inputs as (
    select e.batch_code, e.batch_ts, e.record_kind, e.lot_code, e.lot_ts, sum(e.kg) as kg
      from edge_record_batch e
      join scope_batch s using (batch_code, batch_ts)   -- in scope
     group by e.batch_code, e.batch_ts, e.record_kind, e.lot_code, e.lot_ts
),
totals as (
    select batch_code, batch_ts, sum(kg) as total_kg
      from inputs
     group by batch_code, batch_ts
)
select i.batch_code, i.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.kg, t.total_kg,
       case when t.total_kg > 0 then i.kg / t.total_kg end as share,
       s.source_batch_code, s.source_batch_ts
  from inputs i
  join totals t on t.batch_code = i.batch_code and t.batch_ts = i.batch_ts
  left join edge_balance_source s
         on i.record_kind = 'blendbalance' and s.balance_code = i.lot_code and s.balance_ts = i.lot_ts;
select ensure_index($$create index batch_input_batch on batch_input (batch_code, batch_ts)$$);
select analyze_when_full('batch_input');

-- part: batch_link
-- 02. The genealogy between batches, one row per (batch, batch whose balances it took), with the share those
-- balances have of the batch: linear in the genealogy's edges, whatever its depth. in_loop marks a link that
-- closes a loop (the source batch descends from the batch it feeds, and was created at the same time or after
-- it): it is not followed (finding `genealogy_cycle`); what it carried stays untraced, and everything else of
-- the loop's batches is traced as usual. A loop lies downstream of each of its batches, so it is in scope whole.
create table if not exists batch_link (
    batch_code text, batch_ts bigint, source_batch_code text, source_batch_ts bigint, share numeric, in_loop boolean not null
);
delete from batch_link l using scope_batch s where l.batch_code = s.batch_code and l.batch_ts = s.batch_ts;
insert into batch_link
select i.batch_code, i.batch_ts, i.source_batch_code, i.source_batch_ts, sum(i.share) as share, false as in_loop
  from scope_batch s
  join batch_input i using (batch_code, batch_ts)
 where i.source_batch_code is not null and i.share is not null
 group by i.batch_code, i.batch_ts, i.source_batch_code, i.source_batch_ts;
select ensure_index($$create index batch_link_batch on batch_link (batch_code, batch_ts)$$);
select ensure_index($$create index batch_link_source on batch_link (source_batch_code, source_batch_ts)$$);   -- forward traces follow it
select analyze_when_full('batch_link');

-- part: batch_level
-- Each batch's level: 0 for a batch that took no balance of another, else one more than the highest of its
-- sources (over the links not cut); loops says that a loop was cut in the batch's own genealogy (so part of it
-- is untraced).
create table if not exists batch_level (batch_code text, batch_ts bigint, level int not null, loops boolean not null default false);
delete from batch_level v using scope_batch s where v.batch_code = s.batch_code and v.batch_ts = s.batch_ts;
select ensure_index($$create unique index batch_level_batch on batch_level (batch_code, batch_ts)$$);
select ensure_index($$create index batch_level_level on batch_level (level)$$);

-- Levels, and where loops close. Kahn's order, one set statement per step: a batch of the scope gets its level
-- once every batch of the scope it took a balance of has one (the others have theirs). Batches left waiting wait
-- on a loop (or on a batch after one): those that feed nothing still waiting are peeled off from the other end,
-- what remains are the loops (and what lies between them), and a link there whose source descends from the
-- batch it feeds closes a loop and is cut. The cost is linear in the scope's genealogy, one statement per step.
-- A batch outside the scope that took nothing itself is in the genealogy, at level 0, only while a batch takes
-- its balance: the scope's links decide (scope_source; empty in a full build, where every batch is in scope).
delete from batch_level v using scope_source s
 where v.batch_code = s.batch_code and v.batch_ts = s.batch_ts
   and not exists (select 1 from batch_input i where i.batch_code = v.batch_code and i.batch_ts = v.batch_ts)
   and not exists (select 1 from batch_link l where l.source_batch_code = v.batch_code and l.source_batch_ts = v.batch_ts);
insert into batch_level (batch_code, batch_ts, level)
select s.batch_code, s.batch_ts, 0
  from scope_source s
 where not exists (select 1 from batch_level v where v.batch_code = s.batch_code and v.batch_ts = s.batch_ts)
   and exists (select 1 from batch_link l where l.source_batch_code = s.batch_code and l.source_batch_ts = s.batch_ts);

select plan_by_level();
do $levels$
declare
    k int := 0;
    added bigint;
begin
    -- What each batch waits on, counted once for all (a count per batch, over a scope table without an index,
    -- read the scope once per batch: 2.6 s at a million bags, 8.6 s at two).
    create temp table batch_wait on commit drop as
    with nodes as (
        select s.batch_code, s.batch_ts from scope_batch s
         where exists (select 1 from batch_input i where i.batch_code = s.batch_code and i.batch_ts = s.batch_ts)
            or exists (select 1 from batch_link l where l.source_batch_code = s.batch_code and l.source_batch_ts = s.batch_ts)
    ),
    waits as (
        select l.batch_code, l.batch_ts, count(*)::int as waiting
          from batch_link l
          join scope_batch s on s.batch_code = l.source_batch_code and s.batch_ts = l.source_batch_ts
         group by l.batch_code, l.batch_ts
    )
    select n.batch_code, n.batch_ts, coalesce(w.waiting, 0) as waiting, null::int as step
      from nodes n
      left join waits w on w.batch_code = n.batch_code and w.batch_ts = n.batch_ts;
    create unique index on batch_wait (batch_code, batch_ts);
    create index on batch_wait (step);
    analyze batch_wait;
    update batch_wait set step = 0 where waiting = 0;
    loop
        -- The batches released by the last step get their level from their sources, all levelled by now.
        insert into batch_level (batch_code, batch_ts, level)
        select w.batch_code, w.batch_ts,
               coalesce((select max(v.level) + 1
                           from batch_link l
                           join batch_level v on v.batch_code = l.source_batch_code and v.batch_ts = l.source_batch_ts
                          where l.batch_code = w.batch_code and l.batch_ts = w.batch_ts and not l.in_loop), 0)
          from batch_wait w
         where w.step = k;
        with fed as (
            select l.batch_code, l.batch_ts, count(*)::int as n
              from batch_wait v
              join batch_link l on l.source_batch_code = v.batch_code and l.source_batch_ts = v.batch_ts
             where v.step = k and not l.in_loop
             group by l.batch_code, l.batch_ts
        )
        update batch_wait w set waiting = w.waiting - fed.n, step = case when w.waiting - fed.n = 0 then k + 1 end
          from fed
         where w.batch_code = fed.batch_code and w.batch_ts = fed.batch_ts;
        k := k + 1;
        continue when exists (select 1 from batch_wait w where w.step = k);
        exit when not exists (select 1 from batch_wait where waiting > 0);
        -- The loops: the waiting batches that still feed a waiting batch, peeled from the end that feeds
        -- nothing, leave the loops and what lies between them. A link among them is in a loop when the
        -- batch it feeds reaches its source again; of those, the one that cannot be, a balance taken from
        -- a batch created at the same time or later, closes the loop and is cut (every loop has one: the
        -- links left all go forward in time).
        create temp table if not exists loop_core (batch_code text, batch_ts bigint, feeding int) on commit drop;
        create temp table if not exists loop_peeled (batch_code text, batch_ts bigint) on commit drop;
        delete from loop_core;
        insert into loop_core
        select w.batch_code, w.batch_ts,
               (select count(*) from batch_link l join batch_wait d on d.batch_code = l.batch_code and d.batch_ts = l.batch_ts
                 where l.source_batch_code = w.batch_code and l.source_batch_ts = w.batch_ts and d.waiting > 0 and not l.in_loop)
          from batch_wait w where w.waiting > 0;
        loop
            delete from loop_peeled;
            insert into loop_peeled select batch_code, batch_ts from loop_core where feeding = 0;
            exit when not found;
            delete from loop_core where feeding = 0;
            update loop_core c set feeding = c.feeding - p.n
              from (select l.source_batch_code, l.source_batch_ts, count(*)::int as n
                      from loop_peeled g
                      join batch_link l on l.batch_code = g.batch_code and l.batch_ts = g.batch_ts
                     where not l.in_loop
                     group by l.source_batch_code, l.source_batch_ts) p
             where c.batch_code = p.source_batch_code and c.batch_ts = p.source_batch_ts;
        end loop;
        with recursive core_link as (
            select l.batch_code, l.batch_ts, l.source_batch_code, l.source_batch_ts
              from batch_link l
              join loop_core a on a.batch_code = l.batch_code and a.batch_ts = l.batch_ts
              join loop_core b on b.batch_code = l.source_batch_code and b.batch_ts = l.source_batch_ts
             where not l.in_loop
        ),
        reach (from_code, from_ts, to_code, to_ts) as (
            select source_batch_code, source_batch_ts, batch_code, batch_ts from core_link
            union
            select r.from_code, r.from_ts, c.batch_code, c.batch_ts
              from reach r
              join core_link c on c.source_batch_code = r.to_code and c.source_batch_ts = r.to_ts
        )
        update batch_link l set in_loop = true
          from reach r
         where r.from_code = l.batch_code and r.from_ts = l.batch_ts
           and r.to_code = l.source_batch_code and r.to_ts = l.source_batch_ts
           and l.source_batch_ts >= l.batch_ts;
        -- What waited only on a cut link is free now: it waits on the sources still without a level.
        update batch_wait w
           set waiting = (select count(*) from batch_link l
                           where l.batch_code = w.batch_code and l.batch_ts = w.batch_ts and not l.in_loop
                             and not exists (select 1 from batch_level v
                                              where v.batch_code = l.source_batch_code and v.batch_ts = l.source_batch_ts))
         where w.waiting > 0;
        update batch_wait w set step = k where w.waiting = 0 and w.step is null;
        get diagnostics added = row_count;
        if added = 0 then
            raise exception 'genealogy: % batches wait on a loop that could not be found',
                (select count(*) from batch_wait where waiting > 0);
        end if;
    end loop;
end
$levels$;
select analyze_when_full('batch_level');

-- part: batch_composition
-- 03. Each batch's root lots and their shares: its own root inputs, and every lot of each batch whose balance
-- it took, times that link's share; level by level, so that each batch is composed once from its sources'
-- compositions however many ways lead there. A lot below a share of 1e-15 joins the batch's `small` row (depth:
-- the nearest of its lots, in batches; how many lots it holds is counted when a trace asks, since a count
-- carried along the ways would count a lot once per way); path is the first way in text order, as far as
-- shown_path shows it.
create table if not exists batch_composition (
    batch_code text, batch_ts bigint, root_kind text, root_code text, root_ts bigint,
    share numeric, depth int, path text, batches int
);
delete from batch_composition c using scope_batch s where c.batch_code = s.batch_code and c.batch_ts = s.batch_ts;
select ensure_index($$create index batch_composition_batch on batch_composition (batch_code, batch_ts)$$);
select plan_by_level();

do $composition$
declare
    k int;
    -- A loop in the scope's genealogy, or upstream of it (a source outside the scope that has one).
    any_loop boolean := exists (select 1 from scope_batch s join batch_link l using (batch_code, batch_ts) where l.in_loop)
                        or exists (select 1 from scope_batch s
                                     join batch_link l using (batch_code, batch_ts)
                                     join batch_level v on v.batch_code = l.source_batch_code and v.batch_ts = l.source_batch_ts
                                    where v.loops);
begin
    create temp table scope_level on commit drop as
    select v.batch_code, v.batch_ts, v.level from scope_batch s join batch_level v using (batch_code, batch_ts);
    create index on scope_level (level);
    analyze scope_level;
    for k in select distinct level from scope_level order by level loop
        insert into batch_composition
        with batches as (
            select batch_code, batch_ts from scope_level where level = k
        ),
        direct as (
            select i.batch_code, i.batch_ts, case when i.record_kind = 'tealine' then 'tealine' else 'blendbalance' end as root_kind,
                   i.lot_code as root_code, i.lot_ts as root_ts, i.share, 1 as depth,
                   i.lot_code || ' > ' || i.batch_code as path, 1 as batches
              from batches b
              join batch_input i on i.batch_code = b.batch_code and i.batch_ts = b.batch_ts
             where i.source_batch_code is null and i.share is not null
        ),
        inherited as (
            select l.batch_code, l.batch_ts, c.root_kind, c.root_code, c.root_ts, round(l.share * c.share, 18) as share,
                   c.depth + 1 as depth,
                   path_step(c.path, c.batches, l.batch_code) as path, c.batches + 1 as batches
              from batches b
              join batch_link l on l.batch_code = b.batch_code and l.batch_ts = b.batch_ts
              join batch_composition c on c.batch_code = l.source_batch_code and c.batch_ts = l.source_batch_ts
             where not l.in_loop
        ),
        summed as (
            select batch_code, batch_ts, root_kind, root_code, root_ts, sum(share) as share, min(depth) as depth,
                   min(path) as path, (array_agg(batches order by path))[1] as batches
              from (select * from direct union all select * from inherited) c
             group by batch_code, batch_ts, root_kind, root_code, root_ts
        )
        select * from summed where root_kind <> 'small' and share >= 1e-15
        union all
        select batch_code, batch_ts, 'small', null, null, sum(share), min(depth), null, null
          from summed
         where root_kind = 'small' or share < 1e-15
         group by batch_code, batch_ts;
        if any_loop then
            update batch_level v set loops = true
              from scope_level s
             where s.level = k and v.batch_code = s.batch_code and v.batch_ts = s.batch_ts
               and exists (select 1 from batch_link l
                             left join batch_level src on src.batch_code = l.source_batch_code and src.batch_ts = l.source_batch_ts
                            where l.batch_code = v.batch_code and l.batch_ts = v.batch_ts and (l.in_loop or src.loops));
        end if;
    end loop;
end
$composition$;
select analyze_when_full('batch_composition');

select plan_for_scope();

-- part: shipment_attribution
-- 04. Every shipment's kilograms by root lot: direct tealine bags count in full; blendsheet bags by their
-- batch's composition. A lot of less than 0.005 kg in the shipment (it would show as 0.00) is counted in the
-- shipment's one `small` row (their kilograms, the nearest depth; the trace counts them) with the batches' own
-- small rows; what reaches no root lot is the shipment's explicit `untraced` row, so that for every shipment
-- listed + small + untraced = allocated.
create table if not exists shipment_attribution (
    request_code bigint, shipment_code integer, root_kind text, root_code text, root_ts bigint, kg numeric, path text, depth int
);
delete from shipment_attribution a using scope_shipment s where a.request_code = s.request_code and a.shipment_code = s.shipment_code;
insert into shipment_attribution
with shipped as not materialized (
    -- Read twice (by lot, and the shipments' totals), not kept: kept, it was estimated at 67 rows for a full
    -- build's 1.2 million at 2M bags, and every join after it was planned on that; inlined, each reader is planned
    -- on the table's own statistics.
    select e.request_code, e.shipment_code, e.record_kind, e.lot_code, e.lot_ts, e.kg
      from edge_record_shipment e
      join scope_shipment s using (request_code, shipment_code)   -- in scope
),
shipped_lots as (
    -- A shipment's bags by the lot they are of, a tealine lot or a batch (a blend bag's item_code and created_ts
    -- are its batch's key, the edge's lot): a batch's composition is then applied once per shipment, not once per
    -- bag (3.7 million rows to sort on the million-bag state, 0.5 million this way). A bag allocated but not in
    -- the snapshot reaches no lot, and its kilograms are untraced.
    select s.request_code, s.shipment_code, s.record_kind, s.lot_code as item_code, s.lot_ts as created_ts, sum(s.kg) as kg
      from shipped s
     where s.lot_code is not null
     group by s.request_code, s.shipment_code, s.record_kind, s.lot_code, s.lot_ts
),
direct as (
    select request_code, shipment_code, 'tealine' as root_kind, item_code as root_code, created_ts as root_ts, kg,
           0 as depth, item_code as path
      from shipped_lots
     where record_kind = 'tealine'
),
via_batches as (
    select b.request_code, b.shipment_code, c.root_kind, c.root_code, c.root_ts, b.kg * c.share as kg, c.depth,
           shown_path(c.path, c.batches, c.batch_code) as path
      from shipped_lots b
      join batch_composition c on c.batch_code = b.item_code and c.batch_ts = b.created_ts
     where b.record_kind = 'blendsheet'
),
summed as (
    select request_code, shipment_code, root_kind, root_code, root_ts, sum(kg) as kg, min(depth) as depth, min(path) as path
      from (select * from direct union all select * from via_batches) a
     group by request_code, shipment_code, root_kind, root_code, root_ts
),
listed as (
    select request_code, shipment_code, root_kind, root_code, root_ts, kg, depth, path
      from summed where root_kind <> 'small' and kg >= 0.005
),
small as (
    select request_code, shipment_code, 'small' as root_kind, null::text as root_code, null::bigint as root_ts, sum(kg) as kg,
           min(depth) as depth,
           'lots of less than 0.005 kg each, ' || case when min(depth) = 0 then 'the nearest shipped directly'
                                                        else 'the nearest ' || min(depth) || case when min(depth) = 1 then ' batch' else ' batches' end || ' back' end as path
      from summed
     where root_kind = 'small' or kg < 0.005
     group by request_code, shipment_code
),
allocated as (
    select request_code, shipment_code, sum(kg) as kg
      from shipped
     group by request_code, shipment_code
),
traced as (
    select request_code, shipment_code, kg from listed
    union all
    select request_code, shipment_code, kg from small
),
untraced as (
    select a.request_code, a.shipment_code, 'untraced' as root_kind, null::text as root_code, null::bigint as root_ts,
           a.kg - coalesce(sum(t.kg), 0) as kg, null::int as depth, null::text as path
      from allocated a
      left join traced t on t.request_code = a.request_code and t.shipment_code = a.shipment_code
     group by a.request_code, a.shipment_code, a.kg
    having round(a.kg - coalesce(sum(t.kg), 0), 6) <> 0
)
select request_code, shipment_code, root_kind, root_code, root_ts, kg, path, depth from listed
union all
select request_code, shipment_code, root_kind, root_code, root_ts, kg, path, depth from small
union all
select request_code, shipment_code, root_kind, root_code, root_ts, kg, path, depth from untraced;
select ensure_index($$create index shipment_attribution_shipment on shipment_attribution (request_code, shipment_code)$$);
select ensure_index($$create index shipment_attribution_root on shipment_attribution (root_code, root_ts)$$);
select analyze_when_full('shipment_attribution');
