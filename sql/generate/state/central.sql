-- Central's part of a generation: the units' lots, bags, batches, balances, output and allocations, through
-- Central's own triggers (every record and allocation passes Central's rules). Runs after units.sql. Every
-- statement touches only the units' rows, and what links them to the units before (the balance the last
-- batch before them left goes into their first batch), so a day added to a live Central changes nothing else.

-- Indexes the generation's lookups need: Central's record_tealine() and record_blendbalance() triggers count a
-- lot's records on every insert, and the sums below group allocations by batch and by shipment. Without them a
-- million bags take hours (each insert would scan its table). Named, so that every day finds them made.
create index if not exists generate_tealine_record_lot on tealine_record (item_code, created_ts);
create index if not exists generate_blendbalance_record_lot on blendbalance_record (item_code, created_ts);
create index if not exists generate_tealine_allocate_batch on tealine_allocate_blendsheet (item_code, created_ts);
create index if not exists generate_blendbalance_allocate_batch on blendbalance_allocate_blendsheet (item_code, created_ts);
create index if not exists generate_tealine_allocate_shipment on tealine_allocate_shipment (request_code, shipment_code);
create index if not exists generate_blendsheet_allocate_shipment on blendsheet_allocate_shipment (request_code, shipment_code);

insert into store_location values ('WH-A', false), ('WH-B', false), ('WH-C', false), ('HERB-1', true) on conflict do nothing;

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

-- The location anomaly stores a bag in WH-C while it is general; it turns herbline-only at the end (the rule
-- holds when a bag is stored). A day finds it herbline-only from the day before and does the same, in its
-- transaction, so no one sees WH-C general again.
update store_location set herbline_section = false where location_name = 'WH-C';

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

-- Blendsheets (two batches each: the odd unit makes it, the even one after it shares it) and batches.
insert into blendsheet (blendsheet_no, standard, grade, remarks, no_of_batches, total, blend_code)
select 'BS-' || lpad(((u + 1) / 2)::text, 6, '0'), 'STD-' || (u % 9), 'BOP', 'generated', 2, 7400.00, 'BLD-' || lpad((u % 40)::text, 3, '0')
  from unit where u % 2 = 1;
create temp table unit_batch as
select u, 'B-' || lpad(u::text, 6, '0') as item_code, t0 + 600000 as created_ts from unit;
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

-- Blendbalances: each batch but every tenth leaves 20 kg that goes into the next batch (the last batch before
-- the units leaves the one their first batch takes); one cycle at the anchor unit 13 (and a rare share): the
-- next batch also leaves a balance that goes back into this one.
create temp table balance as
select 'BB-' || lpad(u::text, 6, '0') as item_code, pg_temp.t0(u) + 900000 as created_ts, 'BLD-' || lpad((u % 40)::text, 3, '0') as blend_code,
       20.00 as weight, pg_temp.uid('b:' || u || ':76')::text as transfer_id,
       'B-' || lpad((u + 1)::text, 6, '0') as batch, pg_temp.t0(u + 1) + 600000 as batch_ts
  from generate_series(greatest(current_setting('mtp.first_unit')::int - 1, 1), current_setting('mtp.units')::int - 1) u
 where u % 10 <> 0
union all
select 'BBX-' || lpad(u::text, 6, '0'), t0 + 1100000, 'BLD-000', 5.00, pg_temp.uid('b:' || (u + 1) || ':75')::text,
       'B-' || lpad(u::text, 6, '0'), t0 + 600000
  from unit
 where (u = 13 or pg_temp.rnd('cycle:' || u) < 0.001) and u % 10 not in (0, 9) and u + 1 < current_setting('mtp.units')::int;
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select item_code, created_ts, blend_code, weight, transfer_id from balance;
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select pg_temp.uid('bb:' || item_code), item_code, created_ts, created_ts + 60000, 'WH-B', 0.50, weight + 0.50, 'ACCEPTED', weight
  from balance;
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select pg_temp.uid('bb:' || item_code), batch, batch_ts, weight from balance;
insert into blendsheet_mix_blendbalance (blendsheet_no, item_code, created_ts, weight)
select b.blendsheet_no, bb.item_code, bb.created_ts, bb.weight
  from balance bb
  join blendsheet_batch b on b.item_code = bb.batch and b.created_ts = bb.batch_ts
on conflict do nothing;

-- Output: 76 bags of whole kilograms, their total the input times the unit's yield (88-99 %, poor 70-74 %,
-- above 100 % for the anomaly).
create temp table batch_input as
with allocated as (
    select item_code, created_ts, amount from tealine_allocate_blendsheet
     where (item_code, created_ts) in (select item_code, created_ts from unit_batch)
    union all
    select item_code, created_ts, amount from blendbalance_allocate_blendsheet
     where (item_code, created_ts) in (select item_code, created_ts from unit_batch)
),
totals as (
    select item_code, created_ts, sum(amount) as input_kg from allocated group by item_code, created_ts
)
select b.item_code, b.created_ts, b.u, coalesce(t.input_kg, 0) as input_kg
  from unit_batch b
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

-- Bags of dispatched shipments are DISPATCHED, except where the anomalies put them out of step with Manager's
-- events (manager.sql writes the events by the same flags); bags gone into a batch are PROCESSED.
update tealine_record r set status = 'DISPATCHED'
  from tealine_allocate_shipment s join unit u on u.u = s.request_code
 where s.barcode = r.barcode and ((u.dispatched and not u.event_without_bags) or u.dispatched_without_event);
update blendsheet_record r set status = 'DISPATCHED'
  from blendsheet_allocate_shipment s join unit u on u.u = s.request_code
 where s.barcode = r.barcode and ((u.dispatched and not u.event_without_bags) or u.dispatched_without_event);
update tealine_record r set status = 'PROCESSED'
  from tbag b where b.barcode = r.barcode and b.g <= 40;
