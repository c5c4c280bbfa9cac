-- build: full
-- The scopes every trace answer starts from, each defined once: the bags of a lot or of one bag (forward), the
-- batches those bags fed and every batch made from them through balances with the lot's share f of each, the
-- shipments the bags reached, the shipments of a shipment, a request or an order (backward), and what each node
-- of a genealogy shows. sql/trace/ answers the questions from these.
-- Inputs: facts.record, edge_record_batch, batch_input, batch_link, edge_record_shipment,
-- edge_balance_source, batch_level, batch_yield, shipment; snapshot.tealine. Outputs: functions facts.trace_bags,
-- trace_fed, trace_reached, trace_reached_shipments, trace_shipments, trace_root_lots, trace_nodes, and the
-- amounts shown (shown_amount, carried_share).
-- Rule: a bag is chosen by its barcode, a lot by kind, code and creation (a null barcode); a shipment by request
-- and shipment, a request by its code (a null shipment), an order by its code (every request of the order).
-- The functions are plain SQL, stable and not strict, so the planner inlines them into each query with the
-- question's values folded in: the plan is the one the literal query would get. They live in the schema they
-- read (built into facts_next, renamed with it), so facts and the trace that reads them never disagree.

set local check_function_bodies = off;

-- Each bag's allocated and remaining kg (kept in `record`), as the mass balance reads them.
create view facts_next.record_balance as
select record_kind, barcode, item_code, created_ts, status, store_location, net_kg, allocated_kg, remaining_kg
  from facts_next.record;

-- An amount as a trace prints it: to 0.01 when it shows as 0.01 or more, else to two significant digits, in
-- decimals down to 0.000001 (0.0000031) and as a power of ten below (7.8e-935), so that what a lot gave a
-- shipment a thousand batches later reads as the small amount it is, neither as 0.00 nor as a line of zeros.
create function facts_next.shown_amount(p numeric)
returns text language sql immutable parallel safe as $$
    select case when p is null then null
                when p = 0 or round(p, 2) <> 0 then to_char(round(p, 2), 'FM999999999999999990.00')
                else (select case when abs(v) >= 0.000001 then trim_scale(v)::text
                                  else (select case when v < 0 then '-' else '' end || m[2]
                                               || case when m[3] in ('', '0') then '' else '.' || m[3] end
                                               || 'e-' || (length(m[1]) + 1)
                                          from regexp_match(abs(v)::text, '^0\.(0*)([1-9])([0-9]?)') as m) end
                        from (select round(p, length(substring(abs(p)::text from '^0\.(0*)')) + 2) as v) r) end
$$;

create function facts_next.trace_bags(p_barcode uuid, p_kind text, p_code text, p_ts bigint)
returns table (barcode uuid, record_kind text, item_code text, created_ts bigint, net_kg numeric)
language sql stable parallel safe as $$
    select r.barcode, r.record_kind, r.item_code, r.created_ts, r.net_kg
      from facts.record r
     where case when p_barcode is not null then r.barcode = p_barcode
                else r.item_code = p_code and r.created_ts = p_ts and r.record_kind = p_kind end
$$;

-- The batches the bags went into, with the kilograms they gave each.
create function facts_next.trace_fed(p_barcode uuid, p_kind text, p_code text, p_ts bigint)
returns table (batch_code text, batch_ts bigint, kg numeric)
language sql stable parallel safe as $$
    select e.batch_code, e.batch_ts, sum(e.kg)
      from facts.edge_record_batch e
      join facts.trace_bags(p_barcode, p_kind, p_code, p_ts) b
        on b.item_code = e.lot_code and b.created_ts = e.lot_ts and b.barcode = e.barcode and b.record_kind = e.record_kind
     group by e.batch_code, e.batch_ts
$$;

-- A share carried forward through a genealogy: to 18 decimals, and to 24 significant digits once it is below
-- 1e-6 (a lot's share of the thousandth batch of a chain may be 1e-900: still a share, still listed). The
-- digits are counted in its text: a logarithm at that scale costs a thousand times more.
create function facts_next.carried_share(p numeric)
returns numeric language sql immutable parallel safe as $$
    select case when p = 0 or abs(p) >= 1e-6 then round(p, 18)
                else round(p, length(substring(abs(p)::text from '^0\.(0*)')) + 24) end
$$;

-- Every batch made from the bags, directly or through the balances they left, with the bags' share f of it and
-- the batches between (the first way in text order, as shown_path shows it), however small the share
-- (carried_share). Batch by batch in the genealogy's levels: a batch's f is what the bags gave it plus each
-- source batch's f times the link's share, summed once for all the ways that lead to it, so a genealogy whose
-- leftovers are split between batches (as many ways as Fibonacci's numbers) costs its batches, not its ways.
-- plpgsql for that loop (one statement per level the bags reach); it only reads, so a read-only session or a
-- standby answers it. A lot reaches a few batches: `rows 20` tells the planner so (its default of 1,000 chose to
-- sort every shipment allocation, 200 ms, for what an index finds in 1 ms).
create function facts_next.trace_reached(p_barcode uuid, p_kind text, p_code text, p_ts bigint)
returns table (batch_code text, batch_ts bigint, f numeric, batches text)
language plpgsql stable parallel safe rows 20 as $$
declare
    fed_code text[]; fed_ts bigint[]; fed_f numeric[]; fed_level int[];
    at_code text[]; at_ts bigint[]; at_f numeric[]; at_path text[]; at_n int[];
    next_code text[] := '{}'; next_ts bigint[] := '{}'; next_f numeric[] := '{}'; next_path text[] := '{}';
    next_n int[] := '{}'; next_level int[] := '{}';
    k int;
begin
    select array_agg(d.batch_code), array_agg(d.batch_ts), array_agg(d.kg / i.total_kg), array_agg(v.level)
      into fed_code, fed_ts, fed_f, fed_level
      from facts.trace_fed(p_barcode, p_kind, p_code, p_ts) d
      join (select distinct i.batch_code, i.batch_ts, i.total_kg from facts.batch_input i) i
        on i.batch_code = d.batch_code and i.batch_ts = d.batch_ts
      join facts.batch_level v on v.batch_code = d.batch_code and v.batch_ts = d.batch_ts
     where i.total_kg > 0;
    k := (select min(x) from unnest(fed_level) x);
    while k is not null loop
        -- The batches of this level: what the bags gave them, and what their sources passed on.
        select array_agg(g.code), array_agg(g.ts), array_agg(g.f), array_agg(g.path), array_agg(g.n)
          into at_code, at_ts, at_f, at_path, at_n
          from (select c.code, c.ts, facts.carried_share(sum(c.f)) as f, min(c.path) as path, (array_agg(c.n order by c.path))[1] as n
                  from (select x.code, x.ts, x.f, x.code as path, 1 as n
                          from unnest(fed_code, fed_ts, fed_f, fed_level) as x (code, ts, f, lvl) where x.lvl = k
                        union all
                        select y.code, y.ts, y.f, y.path, y.n
                          from unnest(next_code, next_ts, next_f, next_path, next_n, next_level) as y (code, ts, f, path, n, lvl)
                         where y.lvl = k) c
                 group by c.code, c.ts) g;
        return query
            select a.code, a.ts, a.f, facts.shown_path(a.path, a.n, a.code)
              from unnest(at_code, at_ts, at_f, at_path, at_n) as a (code, ts, f, path, n);
        -- What they pass on to later batches, with what earlier levels passed on and is still to come.
        select coalesce(array_agg(q.code), '{}'), coalesce(array_agg(q.ts), '{}'), coalesce(array_agg(q.f), '{}'),
               coalesce(array_agg(q.path), '{}'), coalesce(array_agg(q.n), '{}'), coalesce(array_agg(q.lvl), '{}')
          into next_code, next_ts, next_f, next_path, next_n, next_level
          from (select y.code, y.ts, y.f, y.path, y.n, y.lvl
                  from unnest(next_code, next_ts, next_f, next_path, next_n, next_level) as y (code, ts, f, path, n, lvl)
                 where y.lvl <> k
                union all
                select l.batch_code, l.batch_ts, a.f * l.share,
                       facts.path_step(a.path, a.n, l.batch_code), a.n + 1, v.level
                  from unnest(at_code, at_ts, at_f, at_path, at_n) as a (code, ts, f, path, n)
                  join facts.batch_link l on l.source_batch_code = a.code and l.source_batch_ts = a.ts and not l.in_loop
                  join facts.batch_level v on v.batch_code = l.batch_code and v.batch_ts = l.batch_ts) q;
        k := (select min(x) from (select unnest(next_level) as x union all select unnest(fed_level)) u where u.x > k);
    end loop;
end
$$;

-- Every shipment the bags reached, directly or inside the output bags of the batches they reached, with the
-- kilograms and the batches between.
create function facts_next.trace_reached_shipments(p_barcode uuid, p_kind text, p_code text, p_ts bigint)
returns table (request_code bigint, shipment_code integer, kg numeric, batches text)
language sql stable parallel safe as $$
    with via_batches as (
        select s.request_code, s.shipment_code, sum(s.kg * rb.f) as kg,
               string_agg(distinct rb.batches, '; ' order by rb.batches) as batches
          from facts.trace_reached(p_barcode, p_kind, p_code, p_ts) rb
          join facts.edge_record_shipment s   -- the batch's output bags: a blend bag's lot is its batch
            on s.lot_code = rb.batch_code and s.lot_ts = rb.batch_ts and s.record_kind = 'blendsheet'
         group by s.request_code, s.shipment_code
    ),
    direct as (
        select s.request_code, s.shipment_code, sum(s.kg) as kg, null::text as batches
          from facts.edge_record_shipment s
          join facts.trace_bags(p_barcode, p_kind, p_code, p_ts) b
            on b.item_code = s.lot_code and b.created_ts = s.lot_ts and b.barcode = s.barcode and b.record_kind = s.record_kind
         group by s.request_code, s.shipment_code
    )
    select request_code, shipment_code, sum(kg), string_agg(batches, '; ')
      from (select * from direct union all select * from via_batches) x
     group by request_code, shipment_code
$$;

-- The shipments a backward question names, whether Central or Manager knows them.
create function facts_next.trace_shipments(p_request bigint, p_shipment integer, p_order text)
returns table (request_code bigint, shipment_code integer)
language sql stable parallel safe as $$
    select distinct s.request_code, s.shipment_code
      from (select request_code, shipment_code from facts.edge_record_shipment
            union select request_code, shipment_code from facts.shipment) s
     where case when p_order is not null
                then s.request_code in (select request_code from facts.shipment where order_code = p_order)
                else s.request_code = p_request and (p_shipment is null or s.shipment_code = p_shipment) end
$$;

-- Every root lot in the genealogy of the chosen shipments, each once: the lots of their direct tealine bags and
-- the root inputs of every batch their bags were made from, through any number of balances (not across a cut
-- loop). A walk that keeps each batch once (union), so it costs the genealogy's batches, not its ways; what
-- counts the lots of a shipment's `small` row.
create function facts_next.trace_root_lots(p_request bigint, p_shipment integer, p_order text)
returns table (root_kind text, root_code text, root_ts bigint)
language sql stable parallel safe as $$
    with recursive chosen as (
        select * from facts.trace_shipments(p_request, p_shipment, p_order)
    ),
    bags as (
        select e.record_kind, e.barcode
          from facts.edge_record_shipment e
          join chosen c on c.request_code = e.request_code and c.shipment_code = e.shipment_code
    ),
    made_from (batch_code, batch_ts) as (
        select o.item_code, o.created_ts
          from bags b
          join facts.record o on o.barcode = b.barcode and o.record_kind = 'blendsheet'   -- a blend bag's batch
         where b.record_kind = 'blendsheet'
        union
        select l.source_batch_code, l.source_batch_ts
          from made_from m
          join facts.batch_link l on l.batch_code = m.batch_code and l.batch_ts = m.batch_ts
         where not l.in_loop
    )
    select 'tealine', r.item_code, r.created_ts
      from bags b
      join facts.record r on r.barcode = b.barcode and r.record_kind = 'tealine'
     where b.record_kind = 'tealine'
    union
    select case when i.record_kind = 'tealine' then 'tealine' else 'blendbalance' end, i.lot_code, i.lot_ts
      from made_from m
      join facts.batch_input i on i.batch_code = m.batch_code and i.batch_ts = m.batch_ts
     where i.source_batch_code is null and i.share is not null
$$;

-- How a lot is named for people: by its code, which is how they read it; where another lot (tealine or
-- blendbalance) has the same code, with its creation in the session's time zone: ' (created 2026-10-29 07:40)'.
create function facts_next.lot_created_if_shared(p_code text, p_ts bigint)
returns text language sql stable parallel safe as $$
    select case when (select count(*) from snapshot.tealine where item_code = p_code)
                     + (select count(*) from snapshot.blendbalance where item_code = p_code) > 1
                then ' (created ' || to_char(to_timestamp(p_ts / 1000.0), 'YYYY-MM-DD HH24:MI') || ')' else '' end
$$;

-- What a lot, a batch, a balance and a shipment of a genealogy show, for node ids (`lot:KIND:CODE@TS`,
-- `batch:CODE@TS`, `balance:CODE@TS`, `shipment:REQUEST/SHIPMENT`) parsed back into their keys, so that each is
-- found by its index. Times in the session's time zone.
create function facts_next.trace_nodes(p_ids text[])
returns table (id text, kind text, title text, details text, open boolean, sort_key text)
language sql stable parallel safe as $$
    with keys as (
        select id, split_part(id, ':', 1) as kind,
               substring(id from '^lot:([a-z]+):') as record_kind,
               substring(id from '^(?:lot:[a-z]+|batch|balance):(.*)@-?[0-9]+$') as code,
               substring(id from '@(-?[0-9]+)$')::bigint as ts,
               substring(id from '^shipment:(-?[0-9]+)/')::bigint as request_code,
               substring(id from '^shipment:-?[0-9]+/(-?[0-9]+)$')::int as shipment_code
          from unnest(p_ids) as ids (id)
    ),
    batch_nodes as (
        select k.id, 'batch' as kind, y.batch_code as title,
               y.blendsheet_no || E'\n' || coalesce('yield ' || to_char(y.yield_pct, 'FM990.00') || ' % ' || y.rating, 'no yield')
               || case when y.completed then '' else E'\nnot completed' end
               || case when y.trader_status = 'TRADER_BLOCKED' then E'\nTRADER_BLOCKED' else '' end as details,
               false as open, lpad(y.batch_ts::text, 20, '0') as sort_key
          from keys k
          join facts.batch_yield y on y.batch_code = k.code and y.batch_ts = k.ts
         where k.kind = 'batch'
    ),
    balance_nodes (id, kind, title, details, open, sort_key) as (
        select k.id, 'balance', k.code,
               'blendbalance, leftover of ' || s.source_batch_code
               || E'\n' || to_char(coalesce((select sum(r.net_kg) from facts.record r where r.record_kind = 'blendbalance'
                                               and r.item_code = k.code and r.created_ts = k.ts), 0), 'FM999G999G990.00') || ' kg',
               false, lpad(k.ts::text, 20, '0')
          from keys k
          join facts.edge_balance_source s on s.balance_code = k.code and s.balance_ts = k.ts
         where k.kind = 'balance'
    ),
    shipment_nodes (id, kind, title, details, open, sort_key) as (
        select k.id, 'shipment', k.request_code || '/' || k.shipment_code,
               coalesce('order ' || s.order_code, 'not in Manager') || E'\n'
               || coalesce('dispatched ' || to_char(s.dispatched_at, 'YYYY-MM-DD HH24:MI'), 'not dispatched'),
               s.dispatched_at is null, lpad(k.request_code::text, 20, '0') || '/' || lpad(k.shipment_code::text, 10, '0')
          from keys k
          left join facts.shipment s on s.request_code = k.request_code and s.shipment_code = k.shipment_code
         where k.kind = 'shipment'
    ),
    lot_nodes (id, kind, title, details, open, sort_key) as (
        select k.id, 'lot', k.code || facts.lot_created_if_shared(k.code, k.ts),
               coalesce(t.garden || ' · ' || t.grade || ' · ' || t.invoice_no,
                        case when k.record_kind = 'blendbalance' then 'opening blendbalance' else k.record_kind end)
               || E'\n' || to_char((select sum(r.net_kg) from facts.record r where r.record_kind = k.record_kind
                                      and r.item_code = k.code and r.created_ts = k.ts), 'FM999G999G990.00') || ' kg received',
               false, lpad(k.ts::text, 20, '0')
          from keys k
          left join snapshot.tealine t on k.record_kind = 'tealine' and t.item_code = k.code and t.created_ts = k.ts
         where k.kind = 'lot'
    )
    select * from lot_nodes union all select * from batch_nodes union all select * from balance_nodes
    union all select * from shipment_nodes
$$;
