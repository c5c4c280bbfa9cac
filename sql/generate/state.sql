-- A consistent Manager and Central state, generated in one scratch database that holds both fixtures (their
-- table names do not clash). Read by `mtp-etl generate state`, which sets mtp.units and mtp.seed, then copies
-- each table out, ordered by its key. Deterministic for a seed: every "random" value is a hash of the seed and
-- the row's key. Central's triggers are ON: every record and allocation passes Central's own rules.
--
-- One unit u = two tealine lots of 64 bags (80 into a blend batch, the rest shipped directly, some through
-- parcels), one blend batch B-u with 76 output bags shipped whole, and a 20 kg blendbalance left by B-u that
-- goes into B-(u+1) (chains of ten batches). About 205 bags per unit.
--
-- Anomalies, each a small share and at least one from unit 13 on (anchor units 3..12), so that every
-- reconciliation check finds something: short receipts, poor yields, yield above 100 %, a blocked batch shipped,
-- over-allocated bags, orphan allocations and parcel schedules, requests without a plan, quantity mismatches,
-- dispatch status out of step with events (both ways), a location turned herbline-only, a genealogy cycle.

-- Indexes the generation's lookups need, in the scratch database only: Central's record_tealine() and
-- record_blendbalance() triggers count a lot's records on every insert, and the sums below group allocations
-- by batch and by shipment. Without them a million bags take hours (each insert would scan its table).
create index on tealine_record (item_code, created_ts);
create index on blendbalance_record (item_code, created_ts);
create index on tealine_allocate_blendsheet (item_code, created_ts);
create index on blendbalance_allocate_blendsheet (item_code, created_ts);
create index on tealine_allocate_shipment (request_code, shipment_code);
create index on blendsheet_allocate_shipment (request_code, shipment_code);

create function pg_temp.rnd(key text) returns float8 language sql stable as $$
    select ('x' || substr(md5(current_setting('mtp.seed') || ':' || key), 1, 12))::bit(48)::bigint / 281474976710656.0
$$;
create function pg_temp.uid(key text) returns uuid language sql stable as $$
    select md5(current_setting('mtp.seed') || ':bag:' || key)::uuid
$$;
-- Is unit u one of the share of units with this anomaly? (Its anchor unit always is.)
create function pg_temp.odd(kind text, u int, share float8, anchor int) returns boolean language sql stable as $$
    select u = anchor or pg_temp.rnd(kind || ':' || u) < share
$$;

create temp table unit as
select u, 1767225600000::bigint + u * 1200000::bigint as t0,   -- 2026-01-01 00:00 UTC, a unit every 20 minutes
       'ORD-' || lpad(((u + 2) / 3)::text, 6, '0') as order_code,
       pg_temp.odd('blocked', u, 0.01, 3) as blocked,
       pg_temp.odd('over', u, 0.003, 4) as over_allocated,
       pg_temp.odd('orphan', u, 0.003, 5) as orphan_allocation,
       pg_temp.odd('parcel', u, 0.003, 6) as orphan_parcel,
       pg_temp.odd('mismatch', u, 0.01, 7) as quantity_mismatch,
       pg_temp.odd('nodispatchevent', u, 0.003, 8) as dispatched_without_event,
       pg_temp.odd('noflag', u, 0.003, 9) as event_without_bags,
       pg_temp.odd('above', u, 0.005, 10) as above_100,
       pg_temp.odd('herb', u, 0.002, 11) as location_violation,
       pg_temp.odd('poor', u, 0.03, 12) as poor,
       pg_temp.rnd('dispatched:' || u) < 0.7 as dispatched
  from generate_series(1, current_setting('mtp.units')::int) u;

insert into store_location values ('WH-A', false), ('WH-B', false), ('WH-C', false), ('HERB-1', true);

-- Tealine lots: two per unit, 64 bags each; a few arrive short.
create temp table lot as
select u.u, s.side, 'TL-' || lpad(u.u::text, 6, '0') || s.side as item_code, u.t0 + s.n * 1000 as created_ts,
       case when pg_temp.rnd('short:' || u.u || s.side) < 0.03 then 62 else 64 end as bags_received
  from unit u, (values ('A', 0), ('B', 1)) s(side, n);
insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
select item_code, created_ts, 'INV-' || lpad(u::text, 6, '0') || side,
       (array['BOP', 'BOPF', 'FBOP', 'OP', 'PEKOE', 'DUST'])[1 + floor(pg_temp.rnd('grade:' || item_code) * 6)::int],
       64, 50.00,
       (array['Forbes & Walker', 'John Keells', 'Bartleet', 'Asia Siyaka', 'Ceylon Tea Brokers', 'Mercantile'])[1 + floor(pg_temp.rnd('broker:' || item_code) * 6)::int],
       (array['Pedro', 'Kenilworth', 'Dimbula', 'Uva Highlands', 'Nuwara Eliya', 'Ruhuna', 'Kandy', 'Sabaragamuwa'])[1 + floor(pg_temp.rnd('garden:' || item_code) * 8)::int],
       'PO-' || lpad((u / 5)::text, 5, '0')
  from lot;

-- Bags: whole kilograms net (bag 1.00 kg, net 48 to 50 kg), so shipment totals are whole like order_shipment.quantity.
create temp table tbag as
select l.u, l.side, l.item_code, l.created_ts, g, pg_temp.uid('t:' || l.item_code || ':' || g) as barcode,
       48 + floor(pg_temp.rnd('net:' || l.item_code || ':' || g) * 3)::int as net
  from lot l, generate_series(1, 64) g
 where g <= l.bags_received;
insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select b.barcode, b.item_code, b.created_ts, b.created_ts + 3600000 + g * 20000,
       case when u.location_violation and g = 64 then 'WH-C' when g % 2 = 0 then 'WH-A' else 'WH-B' end,
       1.00, b.net + 1.00, 'ACCEPTED', b.net
  from tbag b join unit u using (u)
 order by b.created_ts, b.g;

-- Herbline: a lot now and then, stored in the herbline section.
insert into herbline (item_code, created_ts, item_name, purchase_order, weight)
select 'HL-' || lpad(u::text, 6, '0'), t0 + 5000, (array['Peppermint', 'Chamomile', 'Lemongrass'])[1 + u % 3], 'PO-H' || u, 100
  from unit where u % 50 = 1;
insert into herbline_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select pg_temp.uid('h:' || u || ':' || g), 'HL-' || lpad(u::text, 6, '0'), t0 + 5000, t0 + 3600000 + g * 1000, 'HERB-1', 0.50, 20.50, 'ACCEPTED', 20
  from unit, generate_series(1, 5) g where u % 50 = 1;

-- Blendsheets (two batches each) and batches.
insert into blendsheet (blendsheet_no, standard, grade, remarks, no_of_batches, total, blend_code)
select 'BS-' || lpad(((u + 1) / 2)::text, 6, '0'), 'STD-' || (u % 9), 'BOP', 'generated', 2, 7400.00, 'BLD-' || lpad((u % 40)::text, 3, '0')
  from unit where u % 2 = 1 or u = 1;
insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, humidity, density, trader_status)
select 'B-' || lpad(u::text, 6, '0'), t0 + 600000, 'BS-' || lpad(((u + 1) / 2)::text, 6, '0'),
       pg_temp.rnd('completed:' || u) < 0.98, round((0.03 + pg_temp.rnd('humidity:' || u) * 0.02)::numeric, 3), 0.35,
       case when blocked then 'TRADER_BLOCKED' else 'TRADER_ALLOWED' end
  from unit;
insert into blendsheet_mix_tealine (blendsheet_no, item_code, created_ts, no_of_bags)
select 'BS-' || lpad(((u + 1) / 2)::text, 6, '0'), item_code, created_ts, 40 from lot;

-- Bags 1..40 of each lot go into the unit's batch.
insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
select b.barcode, 'B-' || lpad(b.u::text, 6, '0'), u.t0 + 600000, b.net
  from tbag b join unit u using (u) where b.g <= 40;

-- Blendbalances: each batch but every tenth leaves 20 kg that goes into the next batch; one cycle at the
-- anchor unit 13 (and a rare share): the next batch also leaves a balance that goes back into this one.
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select 'BB-' || lpad(u::text, 6, '0'), t0 + 900000, 'BLD-' || lpad((u % 40)::text, 3, '0'), 20.00,
       pg_temp.uid('b:' || u || ':76')::text
  from unit where u % 10 <> 0 and u < current_setting('mtp.units')::int;
create temp table cycle_unit as
select u from unit where (u = 13 or pg_temp.rnd('cycle:' || u) < 0.001) and u % 10 not in (0, 9) and u + 1 < current_setting('mtp.units')::int;
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select 'BBX-' || lpad(u::text, 6, '0'), t0 + 1100000, 'BLD-000', 5.00, pg_temp.uid('b:' || (u + 1) || ':75')::text
  from cycle_unit join unit using (u);
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select pg_temp.uid('bb:' || item_code), item_code, created_ts, created_ts + 60000, 'WH-B', 0.50, weight + 0.50, 'ACCEPTED', weight
  from blendbalance;
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select pg_temp.uid('bb:' || bb.item_code), 'B-' || lpad((substr(bb.item_code, 4)::int + 1)::text, 6, '0'),
       1767225600000::bigint + (substr(bb.item_code, 4)::int + 1) * 1200000::bigint + 600000, bb.weight
  from blendbalance bb where bb.item_code like 'BB-%';
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select pg_temp.uid('bb:' || bb.item_code), 'B-' || substr(bb.item_code, 5), 1767225600000::bigint + substr(bb.item_code, 5)::int * 1200000::bigint + 600000, bb.weight
  from blendbalance bb where bb.item_code like 'BBX-%';
insert into blendsheet_mix_blendbalance (blendsheet_no, item_code, created_ts, weight)
select b.blendsheet_no, bb.item_code, bb.created_ts, bb.weight
  from blendbalance_allocate_blendsheet a
  join blendbalance bb on pg_temp.uid('bb:' || bb.item_code) = a.barcode
  join blendsheet_batch b on b.item_code = a.item_code and b.created_ts = a.created_ts
on conflict do nothing;

-- Output: 76 bags of whole kilograms, their total the input times the unit's yield (88-99 %, poor 70-74 %,
-- above 100 % for the anomaly).
create temp table batch_input as
with allocated as (
    select item_code, created_ts, amount from tealine_allocate_blendsheet
    union all
    select item_code, created_ts, amount from blendbalance_allocate_blendsheet
),
totals as (
    select item_code, created_ts, sum(amount) as input_kg from allocated group by item_code, created_ts
)
select b.item_code, b.created_ts, substr(b.item_code, 3)::int as u, coalesce(t.input_kg, 0) as input_kg
  from blendsheet_batch b
  left join totals t on t.item_code = b.item_code and t.created_ts = b.created_ts;
create temp table obag as
with target as (
    select i.item_code, i.created_ts, i.u,
           floor(i.input_kg * case when u.above_100 then 1.02
                                   when u.poor then 0.70 + pg_temp.rnd('yield:' || i.u) * 0.04
                                   else 0.88 + pg_temp.rnd('yield:' || i.u) * 0.11 end)::int as output_kg
      from batch_input i join unit u using (u)
)
select t.u, t.item_code, t.created_ts, h, pg_temp.uid('b:' || t.u || ':' || h) as barcode,
       t.output_kg / 76 + case when h <= t.output_kg % 76 then 1 else 0 end as net
  from target t, generate_series(1, 76) h;
insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select barcode, item_code, created_ts, created_ts + 300000 + h * 5000, 'WH-A', 1.00, net + 1.00, 'ACCEPTED', net
  from obag order by created_ts, h;

-- Shipments: request u; shipment 1 takes the batch's bags, shipment 2 the lots' bags 41.. directly.
-- The orphan anomaly sends shipment 2 to a request Manager does not have.
insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select barcode, u, 1, net, net from obag;
insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select b.barcode, case when u.orphan_allocation then 900000000 + b.u else b.u end, 2,
       b.net + case when u.over_allocated and b.side = 'A' and b.g = 41 then 5 else 0 end, 0
  from tbag b join unit u using (u) where b.g > 40;
-- Parcels tie some shipped bags to a packing schedule (the anomaly names a schedule Manager does not have).
insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount)
select s.barcode, s.request_code, 2, case when u.orphan_parcel then 800000000 + b.u else b.u end, 10
  from tealine_allocate_shipment s join tbag b using (barcode) join unit u on u.u = b.u
 where b.g % 4 = 0;
insert into blendsheet_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount)
select barcode, u, 1, u, 10 from obag where h % 10 = 0;

-- A location once general is now herbline-only: the bags stored there break the location rule.
update store_location set herbline_section = true where location_name = 'WH-C';

-- Manager: orders of three requests each; about one order in ten is planned only in the planning file, and one
-- in a hundred nowhere (its requests are without a plan).
create temp table generated_order as
select (u + 2) / 3 as o, 'ORD-' || lpad(((u + 2) / 3)::text, 6, '0') as order_code,
       (array['Earl Grey 100g', 'English Breakfast 250g', 'Ceylon BOP 1kg', 'Green Tea 50 bags', 'Chai 20 bags', 'Decaf 100g'])[1 + ((u + 2) / 3) % 6] as product_name,
       min(t0) as t0
  from unit group by (u + 2) / 3;
create temp table generated_plan as
select o.order_code, o.product_name, 3 * 7600 as requirement,
       (to_timestamp(o.t0 / 1000) at time zone 'UTC')::date - 7 as plan_start,
       (to_timestamp(o.t0 / 1000) at time zone 'UTC')::date + 7 + floor(pg_temp.rnd('late:' || o.o) * 30)::int as plan_end,
       case when o.o = 2 or pg_temp.rnd('unplanned:' || o.o) < 0.01 then 'none'
            when o.o = 3 or pg_temp.rnd('filed:' || o.o) < 0.1 then 'file'
            else 'manager' end as planned_in
  from generated_order o;
insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
select order_code, product_name, requirement, plan_start, plan_end from generated_plan where planned_in = 'manager';

insert into order_request (request_code, order_code, product_name, requirement)
select u.u, u.order_code, o.product_name, 7600 from unit u join generated_order o using (order_code);
select setval(pg_get_serial_sequence('order_request', 'request_code'), (select max(request_code) from order_request));

-- order_shipment.quantity is what is allocated (DOMAIN decision 4), off by 25 kg for the mismatch anomaly.
with allocated as (
    select request_code, shipment_code, sum(amount) as kg
      from (select request_code, shipment_code, amount from blendsheet_allocate_shipment
            union all
            select request_code, shipment_code, amount from tealine_allocate_shipment) a
     group by request_code, shipment_code
)
insert into order_shipment (request_code, shipment_code, quantity)
select u.u, s.shipment_code, coalesce(a.kg, 0) + case when u.quantity_mismatch and s.shipment_code = 1 then 25 else 0 end
  from unit u cross join (values (1), (2)) s(shipment_code)
  left join allocated a on a.request_code = u.u and a.shipment_code = s.shipment_code;

insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_ACCEPTED', u.t0 + 7200000, null
  from order_shipment join unit u on u.u = request_code;
insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle)
select request_code, shipment_code, 'SHIPMENT_DISPATCHED', u.t0 + 86400000 * (1 + floor(pg_temp.rnd('ship:' || u.u) * 20)::int),
       'WP ' || (array['CAB', 'LB', 'LF', 'PE'])[1 + u.u % 4] || '-' || lpad((u.u % 9973)::text, 4, '0')
  from order_shipment join unit u on u.u = request_code
 where (u.dispatched and not u.dispatched_without_event) or u.event_without_bags;

-- Bags of dispatched shipments are DISPATCHED in Central, except where the anomalies put them out of step.
update tealine_record r set status = 'DISPATCHED'
  from tealine_allocate_shipment s join unit u on u.u = s.request_code
 where s.barcode = r.barcode and ((u.dispatched and not u.event_without_bags) or u.dispatched_without_event);
update blendsheet_record r set status = 'DISPATCHED'
  from blendsheet_allocate_shipment s join unit u on u.u = s.request_code
 where s.barcode = r.barcode and ((u.dispatched and not u.event_without_bags) or u.dispatched_without_event);
update tealine_record r set status = 'PROCESSED'
  from tealine_allocate_blendsheet a where a.barcode = r.barcode;

insert into order_schedule (schedule_code, schedule_date, order_code, shift, section, quantity, completed)
select u, (to_timestamp(t0 / 1000) at time zone 'UTC')::date + 1, order_code,
       (array['DAY', 'NIGHT', 'NIGHT & DAY'])[1 + u % 3], 'Packing', 2000, pg_temp.rnd('done:' || u) < 0.6
  from unit;
select setval(pg_get_serial_sequence('order_schedule', 'schedule_code'), (select max(schedule_code) from order_schedule));

-- The planning file: the plans Manager does not have yet, revisions of one plan in twenty, and two rows a
-- planner would get back (an impossible date, a quantity that is not whole).
create table generated_plan_file as
select order_code, product_name, (requirement + case when planned_in = 'manager' then 500 else 0 end)::text as requirement,
       to_char(plan_start, 'YYYY-MM-DD') as plan_start,
       to_char(plan_end, 'YYYY-MM-DD') as plan_end
  from generated_plan
 where planned_in = 'file' or (planned_in = 'manager' and pg_temp.rnd('revise:' || order_code) < 0.05)
union all
select 'ORD-X' || lpad(o::text, 5, '0'), 'Sample tin', '12.5', '2026-02-01', '2026-02-20' from generate_series(1, 1) o
union all
select 'ORD-Y' || lpad(o::text, 5, '0'), 'Sample tin', '100', '2026-02-31', '2026-03-20' from generate_series(1, 1) o;
analyze;
