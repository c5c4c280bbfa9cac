-- Backward audit: the root lots of the chosen shipments (trace_shipment) with their kilograms, and the batches
-- whose bags were shipped with every batch they were made from through balances.
-- Inputs: trace_shipment, facts.shipment_attribution, edge_record_shipment, edge_batch_output, batch_link.
-- Outputs: rows of trace_lot and trace_batch.
insert into trace_lot
select a.root_kind, a.root_code, a.root_ts, sum(a.kg)
  from facts.shipment_attribution a
  join trace_shipment t on t.request_code = a.request_code and t.shipment_code = a.shipment_code
 group by a.root_kind, a.root_code, a.root_ts;

insert into trace_batch
with recursive shipped as (
    select distinct o.item_code as batch_code, o.created_ts as batch_ts
      from facts.edge_record_shipment e
      join trace_shipment t on t.request_code = e.request_code and t.shipment_code = e.shipment_code
      join facts.record o on o.barcode = e.barcode and o.record_kind = 'blendsheet'   -- a blend bag's batch
     where e.record_kind = 'blendsheet'
),
made_from (batch_code, batch_ts) as (
    select batch_code, batch_ts from shipped
    union
    select l.source_batch_code, l.source_batch_ts
      from made_from m
      join facts.batch_link l on l.batch_code = m.batch_code and l.batch_ts = m.batch_ts
     where not l.in_loop
)
select batch_code, batch_ts from made_from;
