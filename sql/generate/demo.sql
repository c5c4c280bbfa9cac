-- The demo: six weeks at a tea factory in Sri Lanka (Asia/Colombo), Monday 2026-10-05 to Friday 2026-11-13,
-- generated in one scratch database holding both fixtures, with Central's triggers on. Read by
-- `mtp-etl generate demo`, which copies every table out ordered by its key and writes the planning files of
-- `generated_plan_text`. No randomness beyond hashes of fixed keys: the same script gives the same bytes.
-- samples/README.md tells the story; the figures below are what it points at.
--
--   * Tealine lots arrive every working day (Monday to Saturday): two on Monday, Wednesday and Friday, one on
--     the other days, 20 bags of about 50 kg each, from eight gardens through five brokers. Lot 17 arrives two
--     bags short. Every ninth lot (4, 13, 22, ...) is sold as it is, in sacks, to a bulk customer.
--   * From Wednesday 7 October one blend batch a working day, 24 tealine bags first in first out, output in
--     25 kg bags. Two batches make a blendsheet, and a blendsheet's output goes to one order: shipment 1 takes
--     the first batch's full bags, shipment 2 the second's.
--   * Yields: 90 to 97 % (Good or Excellent), Fair for batches 8 and 23, Poor for 11 and 29, above 100 % (a data
--     error) for 18. The leftover bag of batches 5, 7, 15, 25, 27 and 30 becomes a blendbalance that goes into
--     the batch two later (5 -> 7 -> 9 is three levels deep); an opening balance goes into batch 1.
--   * Orders: dispatched a day after their batch, on time, except orders 3, 8 and 12 (late: their second
--     shipment leaves six days later), 10 (held: its batch 20 is TRADER_BLOCKED; overdue) and 14 (the
--     customer's lorry never came: overdue). Orders 16 and 17 are still in production (open). Bulk order 3
--     leaves late; bulk order 5's lorry was turned away after two bags were scanned out (DISPATCHED in Central,
--     no dispatch in Manager: overdue).
--   * Findings, one of each: a shipment quantity 25 kg off (order 6), a rush request without a plan, a bulk bag
--     allocated 2 kg beyond its weight, the blocked batch shipped, the batch above 100 %, a lot bag left in a
--     store later turned into a herbline section, and bulk order 5's two bags out of step with Manager.

create function pg_temp.rnd(key text) returns float8 language sql immutable as $$
    select ('x' || substr(md5('mtp-demo:' || key), 1, 12))::bit(48)::bigint / 281474976710656.0
$$;
create function pg_temp.uid(key text) returns uuid language sql immutable as $$
    select md5('mtp-demo:bag:' || key)::uuid
$$;
-- Epoch milliseconds of a wall-clock time in Colombo.
create function pg_temp.at(day date, local_time text) returns bigint language sql immutable as $$
    select (extract(epoch from ((day + local_time::time) at time zone 'Asia/Colombo')) * 1000)::bigint
$$;

-- Working days, numbered from 1.
create temp table demo_day as
select row_number() over (order by g.day)::int as w, g.day::date as day, extract(isodow from g.day)::int as dow
  from generate_series(date '2026-10-05', date '2026-11-13', interval '1 day') g(day)
 where extract(isodow from g.day) <> 7;

insert into store_location values ('WH-A', false), ('WH-B', false), ('WH-C', false), ('HERB-1', true);

-- Tealine lots.
create temp table demo_lot as
with slots as (
    select d.w, d.day, s
      from demo_day d, generate_series(1, case when d.dow in (1, 3, 5) then 2 else 1 end) s
),
numbered as (
    select row_number() over (order by w, s)::int as l, w, day, s from slots
)
select l, w, day, 'TL-' || to_char(day, 'YYMMDD') || '-' || s as item_code,
       pg_temp.at(day, case s when 1 then '07:40' else '10:20' end) as created_ts,
       (array['Pedro', 'Kenilworth', 'Dimbula Highlands', 'Uva Halpewatte', 'Lover''s Leap', 'Deniyaya',
              'Hantane', 'New Vithanakande'])[1 + (l * 5) % 8] as garden,
       (array['Forbes & Walker', 'John Keells', 'Bartleet', 'Asia Siyaka', 'Ceylon Tea Brokers'])[1 + l % 5] as broker,
       case when l % 9 = 4 then 'BOPF' else (array['BOP', 'FBOP', 'PEKOE', 'BOPF'])[1 + l % 4] end as grade,
       'INV-26-' || lpad((4100 + l)::text, 5, '0') as invoice_no,
       'PO-' || to_char(day, 'IYYY-IW') || '-' || (1 + l % 5) as purchase_order,
       l % 9 = 4 as sold_whole,
       case when l = 17 then 18 else 20 end as bags_received
  from numbered;
insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
select item_code, created_ts, invoice_no, grade, 20, 50.00, broker, garden, purchase_order from demo_lot order by l;

-- Bags: 49 to 51 kg net in whole kilograms (1 kg sack), scanned in from half an hour after the lot, one every
-- four minutes. Lot 30's last bag went into WH-C.
create temp table demo_tbag as
select lot.l, lot.item_code, lot.created_ts, g, lot.sold_whole,
       pg_temp.uid('t:' || lot.item_code || ':' || g) as barcode,
       49 + floor(pg_temp.rnd('net:' || lot.item_code || ':' || g) * 3)::int as net,
       lot.created_ts + 1800000 + g * 240000 as received_ts,
       case when lot.l = 30 and g = 20 then 'WH-C' when g % 2 = 0 then 'WH-B' else 'WH-A' end as store_location
  from demo_lot lot, generate_series(1, 20) g
 where g <= lot.bags_received;
insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select barcode, item_code, created_ts, received_ts, store_location, 1.00, net + 1.00, 'ACCEPTED', net
  from demo_tbag order by received_ts;

-- Herbline: peppermint for the flavoured range, in the herbline section.
insert into herbline (item_code, created_ts, item_name, purchase_order, weight)
values ('HL-261008-1', pg_temp.at('2026-10-08', '09:00'), 'Peppermint leaf', 'PO-H-2026-041', 100),
       ('HL-261029-1', pg_temp.at('2026-10-29', '09:00'), 'Lemongrass', 'PO-H-2026-044', 60);
insert into herbline_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select pg_temp.uid('h:' || h.item_code || ':' || g), h.item_code, h.created_ts, h.created_ts + 1800000 + g * 60000, 'HERB-1', 0.50, 20.50,
       'ACCEPTED', 20
  from herbline h, generate_series(1, (h.weight / 20)::int) g;

-- Batches: one a working day from the third; two make a blendsheet, whose output goes to one order.
create temp table demo_batch as
select d.w - 2 as k, d.day, 'B-' || to_char(d.day, 'YYMMDD') as item_code, pg_temp.at(d.day, '08:30') as created_ts,
       'BS-26-' || lpad(((d.w - 1) / 2)::text, 3, '0') as blendsheet_no, (d.w - 1) / 2 as j,
       d.day < date '2026-11-13' as completed,
       case when d.w - 2 = 20 then 'TRADER_BLOCKED' when d.day >= date '2026-11-12' then 'TRADER_PENDING' else 'TRADER_ALLOWED' end as trader_status,
       case when d.w - 2 in (8, 23) then 0.80 when d.w - 2 in (11, 29) then 0.70 when d.w - 2 = 18 then 1.02
            else 0.90 + round((pg_temp.rnd('yield:' || d.w) * 0.07)::numeric, 3) end as yield_factor
  from demo_day d
 where d.w >= 3;
create temp table demo_product as
select j, (array['Ceylon Breakfast 250 g', 'Earl Grey 100 bags', 'English Afternoon 200 g', 'Ceylon OP Premium 500 g',
                 'Kenilworth Single Estate 100 g', 'Chai Spice 20 bags'])[1 + j % 6] as product_name,
          (array['BLD-BRK', 'BLD-EGR', 'BLD-AFT', 'BLD-OPP', 'BLD-KEN', 'BLD-CHA'])[1 + j % 6] as blend_code
  from (select distinct j from demo_batch) b;
insert into blendsheet (blendsheet_no, standard, grade, remarks, no_of_batches, total, blend_code)
select distinct b.blendsheet_no, 'STD-' || p.blend_code, 'BOP', 'for ' || p.product_name, 2, 2100.00, p.blend_code
  from demo_batch b join demo_product p using (j);
insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, humidity, density, trader_status)
select item_code, created_ts, blendsheet_no, completed, round((0.030 + pg_temp.rnd('humidity:' || k) * 0.02)::numeric, 3),
       round((0.33 + pg_temp.rnd('density:' || k) * 0.04)::numeric, 3), trader_status
  from demo_batch order by k;

-- Ingredients: 24 tealine bags a batch, first in first out among the lots that are blended (bags received
-- before the batch started).
create temp table demo_input as
with blendable as (
    select b.*, row_number() over (order by b.received_ts, b.g)::int as s from demo_tbag b where not b.sold_whole
)
select k.k, k.item_code as batch_code, k.created_ts as batch_ts, b.barcode, b.net, b.item_code as lot_code, b.created_ts as lot_ts
  from demo_batch k
  join blendable b on b.s > (k.k - 1) * 24 and b.s <= k.k * 24 and b.received_ts < k.created_ts;
insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
select barcode, batch_code, batch_ts, net from demo_input order by k, barcode;
insert into blendsheet_mix_tealine (blendsheet_no, item_code, created_ts, no_of_bags)
select k.blendsheet_no, i.lot_code, i.lot_ts, count(*)
  from demo_input i join demo_batch k using (k)
 group by k.blendsheet_no, i.lot_code, i.lot_ts;

-- The opening balance (a root lot: its transfer_id names no bag) goes into batch 1.
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
values ('BB-OPEN-2610', pg_temp.at('2026-10-05', '07:00'), 'BLD-BRK', 40.00, 'OPENING-2026-10');
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
values (pg_temp.uid('bb:BB-OPEN-2610'), 'BB-OPEN-2610', pg_temp.at('2026-10-05', '07:00'), pg_temp.at('2026-10-05', '07:05'),
        'WH-B', 0.50, 40.50, 'ACCEPTED', 40.00);
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select pg_temp.uid('bb:BB-OPEN-2610'), item_code, created_ts, 40.00 from demo_batch where k = 1;

-- Output, batch by batch in order, because a batch's leftover balance feeds the batch two later: 25 kg bags
-- and the rest in a last bag, which for batches 5, 7, 15, 25, 27 and 30 becomes a blendbalance. The open batch
-- of the last day has made only its first 20 bags.
create temp table demo_obag (k int, batch_code text, batch_ts bigint, h int, barcode uuid, net numeric, received_ts bigint, is_leftover boolean);
do $$
declare
    b record;
    input_kg numeric;
    output_kg int;
    full_bags int;
    rest int;
begin
    for b in select * from demo_batch order by k loop
        select coalesce(sum(amount), 0) into input_kg from (
            select amount from tealine_allocate_blendsheet where item_code = b.item_code and created_ts = b.created_ts
            union all
            select amount from blendbalance_allocate_blendsheet where item_code = b.item_code and created_ts = b.created_ts) a;
        output_kg := floor(input_kg * b.yield_factor);
        full_bags := output_kg / 25;
        rest := output_kg % 25;
        insert into demo_obag
        select b.k, b.item_code, b.created_ts, h, pg_temp.uid('o:' || b.item_code || ':' || h),
               case when h <= full_bags then 25 else rest end,
               b.created_ts + 7200000 + h * 180000, h > full_bags
          from generate_series(1, full_bags + case when rest > 0 then 1 else 0 end) h
         where b.completed or h <= 20;
        insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
        select barcode, batch_code, batch_ts, received_ts, 'WH-A', 0.50, net + 0.50, 'ACCEPTED', net
          from demo_obag where k = b.k order by h;
        if b.k in (5, 7, 15, 25, 27, 30) and rest > 0 then
            insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
            select 'BB-' || to_char(b.day, 'YYMMDD'), o.received_ts + 600000, p.blend_code, o.net, o.barcode::text
              from demo_obag o join demo_product p on p.j = b.j
             where o.k = b.k and o.is_leftover;
            insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
            select pg_temp.uid('bb:' || bb.item_code), bb.item_code, bb.created_ts, bb.created_ts + 300000, 'WH-B', 0.50, bb.weight + 0.50,
                   'ACCEPTED', bb.weight
              from blendbalance bb where bb.item_code = 'BB-' || to_char(b.day, 'YYMMDD');
            insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
            select pg_temp.uid('bb:' || bb.item_code), n.item_code, n.created_ts, bb.weight
              from blendbalance bb join demo_batch n on n.k = b.k + 2
             where bb.item_code = 'BB-' || to_char(b.day, 'YYMMDD');
        end if;
    end loop;
end $$;
insert into blendsheet_mix_blendbalance (blendsheet_no, item_code, created_ts, weight)
select k.blendsheet_no, bb.item_code, bb.created_ts, bb.weight
  from blendbalance_allocate_blendsheet a
  join blendbalance bb on pg_temp.uid('bb:' || bb.item_code) = a.barcode
  join demo_batch k on k.item_code = a.item_code and k.created_ts = a.created_ts;

-- Orders. Blend order j (ORD-26101 ...) takes blendsheet j; bulk order i (ORD-26201 ...) takes sold-whole lot
-- i's bags directly. Each has one request (its code is the order's number) and one or two shipments.
create temp table demo_order as
with blend as (
    select j, 'ORD-' || (26100 + j) as order_code, (26100 + j)::bigint as request_code, p.product_name,
           min(k.day) as first_day, max(k.day) as last_day, count(*) as batches
      from demo_batch k join demo_product p using (j)
     group by j, p.product_name
),
bulk as (
    select row_number() over (order by l)::int as i, l, day from demo_lot where sold_whole
)
select 'blend' as kind, j as n, order_code, request_code, product_name, first_day - 4 as plan_start,
       last_day + case when batches = 1 then 3 else 2 end as plan_end, 2100 as requirement, null::int as lot
  from blend
union all
select 'bulk', i, 'ORD-' || (26200 + i), (26200 + i)::bigint, 'Ceylon BOPF bulk (50 kg sacks)', day - 3, day + 3, 980, l
  from bulk;

insert into order_request (request_code, order_code, product_name, requirement, comments)
select request_code, order_code, product_name, requirement, null from demo_order order by request_code;
-- A rush request from a customer the planners have not filed yet: no plan anywhere.
insert into order_request (request_code, order_code, product_name, requirement, comments)
values (26301, 'ORD-RUSH-1111', 'Ceylon Breakfast 250 g', 300, 'rush: customer called on 11 November');

-- Shipments: blend shipment 1 <- the first batch's full bags, 2 <- the second's; bulk shipment 1 <- the lot.
insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select o.barcode, 26100 + k.j, case when k.k % 2 = 1 then 1 else 2 end, o.net, 0
  from demo_obag o join demo_batch k using (k)
 where not o.is_leftover
 order by o.barcode;
insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select b.barcode, o.request_code, 1, b.net + case when o.n = 3 and b.g = 20 then 2 else 0 end, 0
  from demo_tbag b join demo_order o on o.kind = 'bulk' and o.lot = b.l
 order by b.barcode;
-- Parcels: every fourth blend bag of a shipment is tied to the order's packing schedule.
insert into order_schedule (schedule_code, schedule_date, order_code, shift, section, quantity, completed)
select 7000 + o.n, o.plan_end - 1, o.order_code, (array['DAY', 'NIGHT', 'NIGHT & DAY'])[1 + o.n % 3], 'Packing line ' || (1 + o.n % 2),
       o.requirement, o.plan_end - 1 < date '2026-11-13'
  from demo_order o where o.kind = 'blend' order by o.n;
insert into blendsheet_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount)
select s.barcode, s.request_code, s.shipment_code, 7000 + (s.request_code - 26100), 25
  from blendsheet_allocate_shipment s join demo_obag o on o.barcode = s.barcode
 where o.h % 4 = 0
 order by s.barcode;

-- order_shipment.quantity is what is allocated (DOMAIN decision 4); order 6's first shipment says 25 kg more.
insert into order_shipment (request_code, shipment_code, quantity)
select a.request_code, a.shipment_code, (sum(a.amount) + case when a.request_code = 26106 and a.shipment_code = 1 then 25 else 0 end)::int
  from (select request_code, shipment_code, amount from blendsheet_allocate_shipment
        union all select request_code, shipment_code, amount from tealine_allocate_shipment) a
 group by a.request_code, a.shipment_code
 order by 1, 2;
insert into order_shipment (request_code, shipment_code, quantity) values (26301, 1, 0);

-- Dispatch: the day after the shipment's batch (or the bulk lot) at 15:00, except where the story says
-- otherwise. Nothing is dispatched after the last day.
create temp table demo_shipment as
with made as (
    select s.request_code, s.shipment_code, max(o.received_ts) as ready_ts
      from blendsheet_allocate_shipment s join demo_obag o on o.barcode = s.barcode
     group by s.request_code, s.shipment_code
    union all
    select s.request_code, s.shipment_code, max(r.received_ts)
      from tealine_allocate_shipment s join tealine_record r on r.barcode = s.barcode
     group by s.request_code, s.shipment_code
),
planned as (
    select m.request_code, m.shipment_code, m.ready_ts, o.kind, o.n, o.plan_start, o.plan_end,
           (to_timestamp(m.ready_ts / 1000) at time zone 'Asia/Colombo')::date
             + case when o.kind = 'blend' and o.n in (3, 8, 12) and m.shipment_code = 2 then 6
                    when o.kind = 'bulk' and o.n = 3 then 5
                    else 1 end as dispatch_day,
           not ((o.kind = 'blend' and o.n in (10, 14, 16, 17)) or (o.kind = 'bulk' and o.n = 5)) as leaves
      from made m join demo_order o on o.request_code = m.request_code
)
select p.*, p.leaves and p.dispatch_day <= date '2026-11-13' as dispatched,
       pg_temp.at(p.dispatch_day, case when p.shipment_code = 1 then '15:00' else '16:30' end) as dispatch_ts,
       'WP ' || (array['LB', 'LF', 'CAB', 'PE', 'LG'])[1 + (p.request_code % 5)::int] || '-' || (4000 + (p.request_code * 37 + p.shipment_code * 11) % 5000) as vehicle
  from planned p;
insert into order_shipment_event (request_code, shipment_code, status, event_ts, shipment_vehicle, order_remarks, shipment_remarks)
select request_code, shipment_code, status, event_ts, vehicle, null, remarks
  from (
    select s.request_code, s.shipment_code, 'ORDER_REQUESTED' as status, pg_temp.at(s.plan_start, '09:00') as event_ts, null as vehicle, null as remarks
      from demo_shipment s
    union all
    select s.request_code, s.shipment_code, 'APPROVAL_ALLOWED', pg_temp.at(s.plan_start + 1, '11:00'), null, null from demo_shipment s
    union all
    select s.request_code, s.shipment_code, 'SHIPMENT_ACCEPTED', s.ready_ts + 3600000, null, null
      from demo_shipment s where s.ready_ts + 3600000 < pg_temp.at('2026-11-13', '18:00')
    union all
    select s.request_code, s.shipment_code, 'SHIPMENT_DISPATCHED', s.dispatch_ts, s.vehicle, 'gate pass ' || (90000 + s.request_code % 1000 * 10 + s.shipment_code)
      from demo_shipment s where s.dispatched
    union all
    select 26301, 1, 'ORDER_REQUESTED', pg_temp.at('2026-11-11', '10:30'), null, 'rush'
  ) e
 order by 1, 2, 4;

-- Central follows: bags in batches are PROCESSED, bags of dispatched shipments DISPATCHED (and the two bags of
-- bulk order 5 scanned out at the gate before its lorry was turned away: Manager has no dispatch), leftovers
-- turned into balances PROCESSED; what is left of each bag is its remaining.
update tealine_record r set status = 'PROCESSED', remaining = 0 from tealine_allocate_blendsheet a where a.barcode = r.barcode;
update tealine_record r set status = 'DISPATCHED', remaining = 0
  from tealine_allocate_shipment a join demo_shipment s on s.request_code = a.request_code and s.shipment_code = a.shipment_code
  join demo_tbag b on b.barcode = a.barcode
 where a.barcode = r.barcode and (s.dispatched or (s.kind = 'bulk' and s.n = 5 and b.g <= 2));
update blendsheet_record r set status = 'DISPATCHED', remaining = 0
  from blendsheet_allocate_shipment a join demo_shipment s on s.request_code = a.request_code and s.shipment_code = a.shipment_code
 where a.barcode = r.barcode and s.dispatched;
update blendsheet_record r set status = 'PROCESSED', remaining = 0 from blendbalance b where b.transfer_id = r.barcode::text;
update blendbalance_record r set status = 'PROCESSED', remaining = 0 from blendbalance_allocate_blendsheet a where a.barcode = r.barcode;

-- WH-C became the herbline section's overflow after lot 30's last bag was put there.
update store_location set herbline_section = true where location_name = 'WH-C';

-- Manager's plans: the orders of the first two weeks were planned before the demo starts; every later one
-- comes in the weekly planning files below.
insert into order_plan (order_code, product_name, requirement, plan_start, plan_end)
select order_code, product_name, requirement, plan_start, plan_end from demo_order where plan_start < date '2026-10-12' order by order_code;

-- The planning files, one a week, as planners drop them into the inbox: their name, then their text.
create temp table demo_plan as
select o.*, date '2026-10-05' + 7 * ((o.plan_start - date '2026-10-05') / 7) as file_week
  from demo_order o where o.plan_start >= date '2026-10-12';
create table generated_plan_text (file_name text primary key, content text not null);
-- Monday 12 October, a clean export (comma, ISO dates) with the planner's initials in an extra column.
insert into generated_plan_text
select '2026-10-12-plan.csv',
       'order_code,product_name,requirement,plan_start,plan_end,planner' || chr(10)
       || string_agg(order_code || ',' || product_name || ',' || requirement || ',' || plan_start || ',' || plan_end || ',NP', chr(10) order by order_code)
       || chr(10)
  from demo_plan where file_week = date '2026-10-12';
-- Monday 19 October, saved from a spreadsheet in a comma-decimal locale: BOM, semicolons, CRLF, day-first dates, a unit in a header,
-- thousands grouped by points (2.100) and decimals after a comma (2.250,00), a quoted product name holding the delimiter, and a revision of ORD-26104 (planned
-- before the demo: 150 kg more).
insert into generated_plan_text
select '2026-10-19-plan-excel-export.csv',
       chr(65279) || 'Order No;Product;Requirement (kg);Start date;Planned end' || chr(13) || chr(10)
       || string_agg(line, chr(13) || chr(10) order by order_code) || chr(13) || chr(10)
  from (
    select order_code,
           order_code || ';' || case when order_code = (select min(order_code) from demo_plan where file_week = date '2026-10-19')
                                     then '"' || product_name || '; repacked"' else product_name end
           || ';' || replace(to_char(requirement, 'FM9,999'), ',', '.') || ';' || to_char(plan_start, 'DD/MM/YYYY') || ';' || to_char(plan_end, 'DD/MM/YYYY') as line
      from demo_plan where file_week = date '2026-10-19'
    union all
    select order_code, order_code || ';' || product_name || ';' || replace(to_char(requirement + 150, 'FM9,999'), ',', '.') || ',00' || ';'
           || to_char(plan_start, 'DD/MM/YYYY') || ';' || to_char(plan_end, 'DD/MM/YYYY')
      from demo_order where order_code = 'ORD-26104'
  ) x;
-- Mondays 26 October and 2 November: clean exports.
insert into generated_plan_text
select to_char(file_week, 'YYYY-MM-DD') || '-plan.csv',
       'order_code,product_name,requirement,plan_start,plan_end' || chr(10)
       || string_agg(order_code || ',' || product_name || ',' || requirement || ',' || plan_start || ',' || plan_end, chr(10) order by order_code)
       || chr(10)
  from demo_plan where file_week in (date '2026-10-26', date '2026-11-02')
 group by file_week;
-- Monday 9 November: the last plans, with rows a planner must fix (a fractional requirement, an end before its
-- start, an impossible date, a missing product) and one row repeated identically (counted once).
insert into generated_plan_text
select '2026-11-09-plan-with-rejects.csv',
       'order_code,product_name,requirement,plan_start,plan_end' || chr(10)
       || string_agg(line, chr(10) order by position) || chr(10)
  from (
    select 1 as position, order_code || ',' || product_name || ',' || requirement || ',' || plan_start || ',' || plan_end as line
      from demo_plan where file_week >= date '2026-11-09'
    union all
    -- orders for the weeks after the demo, not requested yet
    select 1, 'ORD-' || (26117 + n) || ',' || (array['Ceylon Breakfast 250 g', 'Earl Grey 100 bags', 'English Afternoon 200 g',
           'Ceylon OP Premium 500 g'])[n] || ',2100,' || (date '2026-11-14' + 2 * n) || ',' || (date '2026-11-21' + 2 * n)
      from generate_series(1, 4) n
    union all select 2, 'ORD-26190,Earl Grey 100 bags,1250.5,2026-11-16,2026-11-27'
    union all select 3, 'ORD-26191,Ceylon Breakfast 250 g,900,2026-11-30,2026-11-20'
    union all select 4, 'ORD-26192,Chai Spice 20 bags,600,2026-11-31,2026-12-11'
    union all select 5, 'ORD-26193,,750,2026-11-16,2026-11-25'
    union all select 6, order_code || ',' || product_name || ',' || requirement || ',' || plan_start || ',' || plan_end
      from demo_plan where file_week >= date '2026-11-09' and order_code = (select max(order_code) from demo_plan where file_week >= date '2026-11-09')
  ) x;
analyze;
