-- Manager's part of a generation: the units' requests, shipments, events and packing schedules, and the plans
-- of the orders they begin. Runs after units.sql, with unit_allocation (what Central allocates to each of the
-- units' shipments: allocations.sql) filled. Touches only the units' rows and the orders they begin.

-- Orders of three requests each (units 3o-2 .. 3o); about one order in ten is planned only in the planning
-- file, and one in a hundred nowhere (its requests are without a plan).
create temp table generated_order as
select o, 'ORD-' || lpad(o::text, 6, '0') as order_code,
       (array['Earl Grey 100g', 'English Breakfast 250g', 'Ceylon BOP 1kg', 'Green Tea 50 bags', 'Chai 20 bags', 'Decaf 100g'])[1 + o % 6] as product_name,
       pg_temp.t0(3 * o - 2) as t0,
       3 * o - 2 >= current_setting('mtp.first_unit')::int as begun_here
  from (select distinct (u + 2) / 3 as o from unit) orders;
create temp table generated_plan as
select o.order_code, o.product_name, 3 * 7600 as requirement,
       (to_timestamp(o.t0 / 1000) at time zone 'UTC')::date - 7 as plan_start,
       (to_timestamp(o.t0 / 1000) at time zone 'UTC')::date + 7 + floor(pg_temp.rnd('late:' || o.o) * 30)::int as plan_end,
       case when o.o = 2 or pg_temp.rnd('unplanned:' || o.o) < 0.01 then 'none'
            when o.o = 3 or pg_temp.rnd('filed:' || o.o) < 0.1 then 'file'
            else 'manager' end as planned_in
  from generated_order o
 where o.begun_here;
insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
select order_code, product_name, requirement, plan_start, plan_end from generated_plan where planned_in = 'manager';

insert into order_request (request_code, order_code, product_name, requirement)
select u.u, u.order_code, o.product_name, 7600 from unit u join generated_order o using (order_code);
select setval(pg_get_serial_sequence('order_request', 'request_code'), (select max(request_code) from order_request));

-- order_shipment.quantity is what is allocated (DOMAIN decision 4), off by 25 kg for the mismatch anomaly.
insert into order_shipment (request_code, shipment_code, quantity)
select u.u, s.shipment_code, coalesce(a.kg, 0) + case when u.quantity_mismatch and s.shipment_code = 1 then 25 else 0 end
  from unit u cross join (values (1), (2)) s(shipment_code)
  left join unit_allocation a on a.request_code = u.u and a.shipment_code = s.shipment_code;

insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_ACCEPTED', u.t0 + 7200000, null
  from order_shipment join unit u on u.u = request_code;
insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_DISPATCHED', u.t0 + 86400000 * (1 + floor(pg_temp.rnd('ship:' || u.u) * 20)::int),
       'WP ' || (array['CAB', 'LB', 'LF', 'PE'])[1 + u.u % 4] || '-' || lpad((u.u % 9973)::text, 4, '0')
  from order_shipment join unit u on u.u = request_code
 where (u.dispatched and not u.dispatched_without_event) or u.event_without_bags;

insert into order_schedule (schedule_code, schedule_date, order_code, shift, section, quantity, completed)
select u, (to_timestamp(t0 / 1000) at time zone 'UTC')::date + 1, order_code,
       (array['DAY', 'NIGHT', 'NIGHT & DAY'])[1 + u % 3], 'Packing', 2000, pg_temp.rnd('done:' || u) < 0.6
  from unit;
select setval(pg_get_serial_sequence('order_schedule', 'schedule_code'), (select max(schedule_code) from order_schedule));
