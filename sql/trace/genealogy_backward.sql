-- Backward genealogy of the chosen shipments: each shipment's kilograms from each batch flow down the batch's
-- walk, shared by each input's share of the batch, to the root lots; direct tealine bags go lot -> shipment.
-- Inputs: facts.trace_shipments, trace_nodes ($1 request, $2 shipment, $3 order), facts.edge_record_shipment,
-- edge_batch_output, batch_walk, batch_input, record.
-- Output: rows ('edge', from, to, kg) and ('node', id, kind, title, details, open 't'/'f', sort key).
-- Rule: edges rounding to 0.00 kg are left out; every chosen shipment is a node.

with chosen as (
    select * from facts.trace_shipments($1, $2, $3)
),

out_alloc as (
    select o.batch_code, o.batch_ts, c.request_code, c.shipment_code, sum(e.kg) as kg
      from chosen c
      join facts.edge_record_shipment e on e.request_code = c.request_code and e.shipment_code = c.shipment_code
      join facts.edge_batch_output o on o.barcode = e.barcode
     where e.record_kind = 'blendsheet'
     group by o.batch_code, o.batch_ts, c.request_code, c.shipment_code
),

tops as (
    select batch_code, batch_ts, sum(kg) as kg from out_alloc group by batch_code, batch_ts
),

flow as (
    select w.batch_code, w.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts,
           sum(t.kg * w.share * i.share) as kg
      from tops t
      join facts.batch_walk w on w.top_code = t.batch_code and w.top_ts = t.batch_ts and not w.is_cycle
      join facts.batch_input i on i.batch_code = w.batch_code and i.batch_ts = w.batch_ts
     where i.share is not null
     group by w.batch_code, w.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts
),

direct as (
    select r.item_code, r.created_ts, c.request_code, c.shipment_code, sum(e.kg) as kg
      from chosen c
      join facts.edge_record_shipment e on e.request_code = c.request_code and e.shipment_code = c.shipment_code
      join facts.record r on r.barcode = e.barcode and r.record_kind = 'tealine'
     where e.record_kind = 'tealine'
     group by r.item_code, r.created_ts, c.request_code, c.shipment_code
),

edges (from_id, to_id, kg) as (
    select 'lot:' || record_kind || ':' || lot_code || '@' || lot_ts, 'batch:' || batch_code || '@' || batch_ts, kg
      from flow where source_batch_code is null
    union all
    select 'batch:' || source_batch_code || '@' || source_batch_ts, 'balance:' || lot_code || '@' || lot_ts, sum(kg)
      from flow where source_batch_code is not null
     group by source_batch_code, source_batch_ts, lot_code, lot_ts
    union all
    select 'balance:' || lot_code || '@' || lot_ts, 'batch:' || batch_code || '@' || batch_ts, kg
      from flow where source_batch_code is not null
    union all
    select 'batch:' || batch_code || '@' || batch_ts, 'shipment:' || request_code || '/' || shipment_code, kg from out_alloc
    union all
    select 'lot:tealine:' || item_code || '@' || created_ts, 'shipment:' || request_code || '/' || shipment_code, kg from direct
),

kept as (
    select * from edges where round(kg, 2) <> 0
),

ids as (
    select from_id as id from kept union select to_id from kept
    union select 'shipment:' || request_code || '/' || shipment_code from chosen
),

nodes as (
    select * from facts.trace_nodes(array(select id from ids))
)

select 'edge', from_id, to_id, kg::float8::text, null, null, null from kept
union all
select 'node', id, kind, title, details, case when open then 't' else 'f' end, sort_key from nodes
