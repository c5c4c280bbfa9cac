-- Fills an empty Manager fixture with the orders, requests, shipments and events that the allocations of
-- scripts/sql/bench-chain-central.sql name: one order, one request and shipment per batch, all dispatched.
-- Parameter: :batches (the same value).
insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
values ('ORD-CHAIN', 'Chain blend', 99 * :batches, date '2023-11-14', date '2027-12-31');
insert into order_request (request_code, order_code, product_name, requirement)
select 500000 + b, 'ORD-CHAIN', 'Chain blend', 99 from generate_series(1, :batches) b;
insert into order_shipment (request_code, shipment_code, quantity)
select 500000 + b, 1, 99 from generate_series(1, :batches) b;
insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select 500000 + b, 1, 'SHIPMENT_DISPATCHED', 1700000000000 + b * 86400000::bigint + 43200000, 'LORRY-1'
  from generate_series(1, :batches) b;
analyze;
