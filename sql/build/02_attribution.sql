-- Attribution: which root lots (tealine lots, opening blendbalances) make up each batch and each shipment,
-- by DOMAIN.md's proportional rule, through any number of levels, with cycles cut and reported.

-- Each batch's inputs, grouped by input lot, with the lot's share of everything allocated to the batch.
-- A blendbalance lot that descends from a batch (edge_balance_source) is not a root: it stands for that batch.
create table facts_next.batch_input as
with inputs as (
    select batch_code, batch_ts, record_kind, lot_code, lot_ts, sum(kg) as kg
      from facts_next.edge_record_batch
     group by batch_code, batch_ts, record_kind, lot_code, lot_ts
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
  left join facts_next.edge_balance_source s
         on i.record_kind = 'blendbalance' and s.balance_code = i.lot_code and s.balance_ts = i.lot_ts;
create index on facts_next.batch_input (batch_code, batch_ts);

-- Walk from every batch down through descended balances to the batches they came from. A step back into a
-- batch already on the path is a cycle: it is marked, reported as a finding, and not followed.
create table facts_next.batch_walk as
with recursive walk (top_code, top_ts, batch_code, batch_ts, share, path, path_keys, is_cycle) as (
    select distinct batch_code, batch_ts, batch_code, batch_ts, 1::numeric,
           array[batch_code], array[batch_code || '@' || batch_ts], false
      from facts_next.batch_input
    union all
    select w.top_code, w.top_ts, i.source_batch_code, i.source_batch_ts,
           round(w.share * i.share, 18),
           w.path || i.source_batch_code,
           w.path_keys || (i.source_batch_code || '@' || i.source_batch_ts),
           (i.source_batch_code || '@' || i.source_batch_ts) = any(w.path_keys)
      from walk w
      join facts_next.batch_input i on i.batch_code = w.batch_code and i.batch_ts = w.batch_ts
     where i.source_batch_code is not null and not w.is_cycle and i.share is not null
)
select top_code, top_ts, batch_code, batch_ts, share, path, is_cycle
  from walk;
create index on facts_next.batch_walk (batch_code, batch_ts);   -- forward: from the batches a lot fed
create index on facts_next.batch_walk (top_code, top_ts);       -- backward: from the batches a shipment holds

-- Each batch's root lots and their shares: every walk step's root inputs, weighted by the step's share.
create table facts_next.batch_composition as
with reached as (
    select w.top_code, w.top_ts,
           case when i.record_kind = 'tealine' then 'tealine' else 'blendbalance' end as root_kind,
           i.lot_code as root_code, i.lot_ts as root_ts,
           round(w.share * i.share, 18) as share,
           array_to_string(array[i.lot_code] || (select array_agg(p order by n desc) from unnest(w.path) with ordinality as u(p, n)), ' > ') as path
      from facts_next.batch_walk w
      join facts_next.batch_input i on i.batch_code = w.batch_code and i.batch_ts = w.batch_ts
     where not w.is_cycle and i.source_batch_code is null and i.share is not null
)
select top_code as batch_code, top_ts as batch_ts, root_kind, root_code, root_ts, sum(share) as share, min(path) as path
  from reached
 group by top_code, top_ts, root_kind, root_code, root_ts;
create index on facts_next.batch_composition (batch_code, batch_ts);

-- Every shipment's kilograms by root lot: direct tealine bags count in full; blendsheet bags by their batch's
-- composition. What reaches no root lot is the shipment's explicit 'untraced' row, so that for every shipment
-- attributed + untraced = allocated.
create table facts_next.shipment_attribution as
with direct as (
    select s.request_code, s.shipment_code, 'tealine' as root_kind, r.item_code as root_code, r.created_ts as root_ts,
           s.kg, r.item_code as path
      from facts_next.edge_record_shipment s
      join facts_next.record r on r.barcode = s.barcode and r.record_kind = 'tealine'
     where s.record_kind = 'tealine'
),
via_batches as (
    select s.request_code, s.shipment_code, c.root_kind, c.root_code, c.root_ts, s.kg * c.share as kg, c.path
      from facts_next.edge_record_shipment s
      join facts_next.edge_batch_output o on o.barcode = s.barcode
      join facts_next.batch_composition c on c.batch_code = o.batch_code and c.batch_ts = o.batch_ts
     where s.record_kind = 'blendsheet'
),
attributed as (
    select request_code, shipment_code, root_kind, root_code, root_ts, sum(kg) as kg, min(path) as path
      from (select * from direct union all select * from via_batches) a
     group by request_code, shipment_code, root_kind, root_code, root_ts
),
allocated as (
    select request_code, shipment_code, sum(kg) as kg
      from facts_next.edge_record_shipment
     group by request_code, shipment_code
),
untraced as (
    select a.request_code, a.shipment_code, 'untraced' as root_kind, null::text as root_code, null::bigint as root_ts,
           a.kg - coalesce(sum(t.kg), 0) as kg, null::text as path
      from allocated a
      left join attributed t on t.request_code = a.request_code and t.shipment_code = a.shipment_code
     group by a.request_code, a.shipment_code, a.kg
    having round(a.kg - coalesce(sum(t.kg), 0), 6) <> 0
)
select request_code, shipment_code, root_kind, root_code, root_ts, kg, path from attributed
union all
select request_code, shipment_code, root_kind, root_code, root_ts, kg, path from untraced;
create index on facts_next.shipment_attribution (request_code, shipment_code);
create index on facts_next.shipment_attribution (root_code, root_ts);
