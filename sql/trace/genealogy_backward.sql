-- Backward genealogy of the chosen shipments: each shipment's kilograms from each batch flow down the genealogy's
-- links (not those that close a loop), shared by each input's share of the batch, to the root lots; direct
-- tealine bags go lot -> shipment.
-- Inputs: facts.trace_shipments, trace_nodes ($1 request, $2 shipment, $3 order), facts.edge_record_shipment,
-- edge_batch_output, batch_link, batch_input, record.
-- Output: rows ('edge', from, to, kg) and ('node', id, kind, title, details, open 't'/'f', sort key).
-- Rule: edges rounding to 0.00 kg are left out (and a way carrying less than 1e-9 kg is not followed further);
-- every chosen shipment is a node.

with recursive chosen as (
    select * from facts.trace_shipments($1, $2, $3)
),

out_alloc as (
    select o.item_code as batch_code, o.created_ts as batch_ts, c.request_code, c.shipment_code, sum(e.kg) as kg
      from chosen c
      join facts.edge_record_shipment e on e.request_code = c.request_code and e.shipment_code = c.shipment_code
      join facts.record o on o.barcode = e.barcode and o.record_kind = 'blendsheet'   -- a blend bag's batch
     where e.record_kind = 'blendsheet'
     group by o.item_code, o.created_ts, c.request_code, c.shipment_code
),

tops as (
    select batch_code, batch_ts, sum(kg) as kg from out_alloc group by batch_code, batch_ts
),

walk (batch_code, batch_ts, kg) as (
    select batch_code, batch_ts, kg from tops
    union all
    select l.source_batch_code, l.source_batch_ts, w.kg * l.share
      from walk w
      join facts.batch_link l on l.batch_code = w.batch_code and l.batch_ts = w.batch_ts
     where not l.in_loop and w.kg * l.share >= 1e-9
),

held as (
    select batch_code, batch_ts, sum(kg) as kg from walk group by batch_code, batch_ts
),

flow as (
    select h.batch_code, h.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts,
           sum(h.kg * i.share) as kg
      from held h
      join facts.batch_input i on i.batch_code = h.batch_code and i.batch_ts = h.batch_ts
     where i.share is not null
     group by h.batch_code, h.batch_ts, i.record_kind, i.lot_code, i.lot_ts, i.source_batch_code, i.source_batch_ts
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
