-- The audit workbook's working tables, in the report's transaction: the question's lots, batches and shipments
-- with kilograms, which every sheet of reports/trace reads. Gone at commit.
create temp table trace_lot on commit drop as
    select root_kind, root_code, root_ts, kg from facts.shipment_attribution limit 0;
create temp table trace_batch on commit drop as
    select batch_code, batch_ts from facts.batch_yield limit 0;
create temp table trace_shipment on commit drop as
    select request_code, shipment_code, kg from facts.shipment_attribution limit 0;
create temp table trace_balance (position int, measure text, value numeric, share numeric, note text) on commit drop;
