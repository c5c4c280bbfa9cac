-- Backward audit: the root lots of the chosen shipments (trace_shipment) with their kilograms, and the batches
-- whose bags were shipped with every batch they were made from through balances.
-- Inputs: trace_shipment, facts.shipment_attribution, edge_record_shipment, edge_batch_output, batch_walk.
-- Outputs: rows of trace_lot and trace_batch.
insert into trace_lot
select a.root_kind, a.root_code, a.root_ts, sum(a.kg)
  from facts.shipment_attribution a
  join trace_shipment t on t.request_code = a.request_code and t.shipment_code = a.shipment_code
 group by a.root_kind, a.root_code, a.root_ts;

insert into trace_batch
with shipped as (
    select distinct o.batch_code, o.batch_ts
      from facts.edge_record_shipment e
      join trace_shipment t on t.request_code = e.request_code and t.shipment_code = e.shipment_code
      join facts.edge_batch_output o on o.barcode = e.barcode
     where e.record_kind = 'blendsheet'
)
select distinct w.batch_code, w.batch_ts
  from facts.batch_walk w
  join shipped s on s.batch_code = w.top_code and s.batch_ts = w.top_ts
 where not w.is_cycle;
