-- Fills an empty Manager fixture with the orders, requests, shipments, events and schedules that the
-- allocations of scripts/sql/bench-central-fill.sql name. Parameter: :lots (the same value).
insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
select 'ORD-' || o, 'Product ' || (o % 8), 4000, date '2026-01-01' + (o % 300), date '2026-01-01' + (o % 300) + 30
  from generate_series(1, :lots / 4 + 1) o;

insert into order_request (request_code, order_code, product_name, requirement)
select r, 'ORD-' || r, 'Product ' || (r % 8), 3920
  from generate_series(1, :lots / 4 + 1) r;
insert into order_request (request_code, order_code, product_name, requirement)
select 100000 + b, 'ORD-' || (1 + b % (:lots / 4)), 'Product ' || (b % 8), 13720
  from generate_series(1, :lots / 5) b;
select setval(pg_get_serial_sequence('order_request', 'request_code'), 200000);

insert into order_shipment (request_code, shipment_code, quantity)
select r, s, 980 from generate_series(1, :lots / 4 + 1) r, generate_series(1, 2) s;
insert into order_shipment (request_code, shipment_code, quantity)
select 100000 + b, 1, 13720 from generate_series(1, :lots / 5) b;

insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_ACCEPTED', 1767225600000 + request_code * 1000, null from order_shipment;
insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_DISPATCHED', 1767571200000 + request_code * 1000, 'LORRY-' || (request_code % 40)
  from order_shipment where request_code % 2 = 0;

insert into order_schedule (schedule_code, schedule_date, order_code, shift, section, quantity, completed)
select l, date '2026-01-01' + (l % 300), 'ORD-' || (1 + l / 4), (array['DAY','NIGHT','NIGHT & DAY'])[1 + l % 3], 'Packing', 400, l % 3 = 0
  from generate_series(1, :lots) l;
select setval(pg_get_serial_sequence('order_schedule', 'schedule_code'), :lots + 1);
analyze;
