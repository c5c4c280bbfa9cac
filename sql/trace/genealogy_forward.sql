-- Forward genealogy of the chosen bags: every edge with this trace's kilograms and every node with what it
-- shows, by DOMAIN.md's proportional rule. The lot's share f of every batch it reaches (through any number of
-- balances) is the forward trace's own: batch -> shipment carries f x the batch's bags allocated to the
-- shipment, batch -> balance f x the balance's kilograms, balance -> batch f x what the balance gave the batch,
-- so the edges into a shipment add up to its row of the forward trace.
-- Inputs: facts.trace_bags, trace_fed, trace_reached, trace_nodes ($1 barcode, or $2 kind, $3 code, $4
-- created_ts; $5 true when the question is one bag), facts.edge_balance_source, record, edge_record_batch,
-- edge_record_shipment, snapshot.tealine.
-- Output: rows ('edge', from, to, kg) and ('node', id, kind, title, details, open 't'/'f', sort key).
-- Rule: edges rounding to 0.00 kg are left out.

with bags as (
    select * from facts.trace_bags($1, $2, $3, $4)
),

fed as (
    select * from facts.trace_fed($1, $2, $3, $4)
),

fraction as (
    select * from facts.trace_reached($1, $2, $3, $4)
),

root as (
    select min(record_kind) as kind, min(item_code) as code, min(created_ts) as ts,
           case when $5::boolean then 'bag:' || min(barcode::text)
                else 'lot:' || min(record_kind) || ':' || min(item_code) || '@' || min(created_ts) end as id
      from bags
),

balances as (
    select s.balance_code, s.balance_ts, s.source_batch_code, s.source_batch_ts, fr.f
      from facts.edge_balance_source s
      join fraction fr on fr.batch_code = s.source_batch_code and fr.batch_ts = s.source_batch_ts
),

edges (from_id, to_id, kg) as (
    select (select id from root), 'batch:' || f.batch_code || '@' || f.batch_ts, f.kg from fed f
    union all
    select 'batch:' || b.source_batch_code || '@' || b.source_batch_ts, 'balance:' || b.balance_code || '@' || b.balance_ts,
           b.f * sum(r.net_kg)
      from balances b
      join facts.record r on r.record_kind = 'blendbalance' and r.item_code = b.balance_code and r.created_ts = b.balance_ts
     group by b.source_batch_code, b.source_batch_ts, b.balance_code, b.balance_ts, b.f
    union all
    select 'balance:' || b.balance_code || '@' || b.balance_ts, 'batch:' || e.batch_code || '@' || e.batch_ts, b.f * sum(e.kg)
      from balances b
      join facts.edge_record_batch e on e.record_kind = 'blendbalance' and e.lot_code = b.balance_code and e.lot_ts = b.balance_ts
     group by b.balance_code, b.balance_ts, e.batch_code, e.batch_ts, b.f
    union all
    select 'batch:' || fr.batch_code || '@' || fr.batch_ts, 'shipment:' || s.request_code || '/' || s.shipment_code, sum(s.kg * fr.f)
      from fraction fr
      join facts.edge_record_shipment s   -- the batch's output bags: a blend bag's lot is its batch
        on s.lot_code = fr.batch_code and s.lot_ts = fr.batch_ts and s.record_kind = 'blendsheet'
     group by fr.batch_code, fr.batch_ts, s.request_code, s.shipment_code
    union all
    select (select id from root), 'shipment:' || s.request_code || '/' || s.shipment_code, sum(s.kg)
      from bags b
      join facts.edge_record_shipment s
        on s.lot_code = b.item_code and s.lot_ts = b.created_ts and s.barcode = b.barcode and s.record_kind = b.record_kind
     group by s.request_code, s.shipment_code
),

kept as (
    select * from edges where round(kg, 2) <> 0
),

ids as (
    select from_id as id from kept union select to_id from kept union select id from root
),

root_node (id, kind, title, details, open, sort_key) as (
    select r.id, 'lot', case when $5::boolean then 'bag ' || substr(r.id, 5, 8) || '…' else r.code || facts.lot_created_if_shared(r.code, r.ts) end,
           case when $5::boolean then 'of ' || r.kind || ' lot ' || r.code || E'\n' else '' end ||
           coalesce(t.garden || ' · ' || t.grade || ' · ' || t.invoice_no, case when r.kind = 'blendbalance' then 'opening blendbalance' else r.kind end)
           || E'\n' || to_char((select sum(x.net_kg) from facts.record x join bags b on b.barcode = x.barcode and b.record_kind = x.record_kind),
                                'FM999G999G990.00') || ' kg received',
           false, lpad(r.ts::text, 20, '0')
      from root r
      left join snapshot.tealine t on r.kind = 'tealine' and t.item_code = r.code and t.created_ts = r.ts
),

nodes as (
    -- The root is drawn as the question's lot or bag; every other node as the trace draws it.
    select * from root_node
    union all
    select * from facts.trace_nodes(array(select id from ids)) where kind <> 'lot'
)

select 'edge', from_id, to_id, kg::float8::text, null, null, null from kept
union all
select 'node', id, kind, title, details, case when open then 't' else 'f' end, sort_key from nodes
