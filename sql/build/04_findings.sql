-- build: every
-- Reconciliation findings: every check of DOMAIN.md, plus yield above 100 % and genealogy cycles, in one table.
-- severity: error (data that cannot be right), warning (out of step, to be looked at).
-- Each finding belongs to one key of the scope, in its own columns: a bag (barcode), a batch (batch_code,
-- batch_ts), a shipment (request_code, shipment_code) or a request (request_code alone); a build deletes the
-- findings of the keys it recomputes and finds them again.

select plan_for_scope();

-- part: finding
create table if not exists finding (
    check_name  text    not null,
    severity    text    not null check (severity in ('error', 'warning')),
    keys        text    not null,     -- the rows concerned, as a person reads them
    message     text    not null,
    amount_kg   numeric,              -- the figure found
    expected_kg numeric,              -- the figure it should be
    occurred_at timestamptz,          -- when the row it is about happened (bag received, batch made, shipment's
                                      -- dispatch or latest event); null: reports date it by the build's data time
    barcode       uuid,               -- the key it belongs to
    batch_code    text,
    batch_ts      bigint,
    request_code  bigint,
    shipment_code integer
);
select ensure_index($$create index finding_barcode on finding (barcode) where barcode is not null$$);
select ensure_index($$create index finding_batch on finding (batch_code, batch_ts) where batch_code is not null$$);
select ensure_index($$create index finding_shipment on finding (request_code, shipment_code) where request_code is not null$$);
delete from finding f using scope_record s where f.barcode = s.barcode;
delete from finding f using scope_batch s where f.batch_code = s.batch_code and f.batch_ts = s.batch_ts;
delete from finding f using scope_shipment s where f.request_code = s.request_code and f.shipment_code = s.shipment_code;
delete from finding f using scope_request s where f.request_code = s.request_code and f.shipment_code is null;

-- part: quantity_mismatch
-- Allocated kg per shipment differs from order_shipment.quantity (DOMAIN decision 4). Of a shipment: the
-- shipment's facts (01_staging) hold both, and the dates.
insert into finding
select 'quantity_mismatch', 'warning',
       'request ' || f.request_code || ' / shipment ' || f.shipment_code,
       'allocated ' || f.allocated_kg || ' kg, order_shipment.quantity is ' || coalesce(f.quantity::text, 'empty'),
       f.allocated_kg, f.quantity, coalesce(f.dispatched_at, f.latest_event_at),
       null, null, null, f.request_code, f.shipment_code
  from shipment f
  join scope_shipment x using (request_code, shipment_code)   -- in scope
 where f.allocated_kg <> coalesce(f.quantity, 0);

-- part: orphan_allocation
-- Allocations to a request or shipment that Manager does not have. Of the shipment they name. From the scope's
-- shipments that Manager lacks (a full build's are every shipment allocated to), then their allocations: an anti
-- join of every allocation with Manager's shipments was planned in a full build as a merge over the allocations
-- in shipment order (600,000 rows read at random: 1.2-1.6 s at a million bags for 574 findings).
insert into finding
with orphans as materialized (
    select x.request_code, x.shipment_code
      from scope_shipment x
     where not exists (select 1 from seen_order_shipment s where s.request_code = x.request_code and s.shipment_code = x.shipment_code)
)
select 'orphan_allocation', 'error',
       e.record_kind || ' bag ' || e.barcode || ' -> request ' || e.request_code || ' / shipment ' || e.shipment_code,
       case when q.request_code is null then 'request ' || e.request_code || ' does not exist in Manager'
            else 'shipment ' || e.shipment_code || ' of request ' || e.request_code || ' does not exist in Manager' end,
       e.kg, null, r.received_at,
       null, null, null, e.request_code, e.shipment_code
  from orphans o
  join edge_record_shipment e using (request_code, shipment_code)
  left join record r on r.barcode = e.barcode and r.record_kind = e.record_kind
  left join lateral (select q.request_code from seen_order_request q where q.request_code = e.request_code limit 1) q on true;

-- part: orphan_parcel_schedule
-- Parcels naming a schedule Manager does not have. Of the parcel's shipment.
insert into finding
select 'orphan_parcel_schedule', 'error',
       p.record_kind || ' bag ' || p.barcode || ' -> schedule ' || p.schedule_code,
       'parcel allocation names schedule ' || p.schedule_code || ', which does not exist in Manager',
       p.kg, null, r.received_at,
       null, null, null, p.request_code, p.shipment_code
  from edge_parcel p
  join scope_shipment x using (request_code, shipment_code)   -- in scope
  left join record r on r.barcode = p.barcode and r.record_kind = p.record_kind
 where not exists (select 1 from seen_order_schedule o where o.schedule_code = p.schedule_code);

-- part: request_without_plan
-- Requests whose order has no plan (reported, not refused: a request can arrive before its plan). Of a request.
insert into finding
select 'request_without_plan', 'warning', 'request ' || q.request_code || ' / order ' || q.order_code,
       'order ' || q.order_code || ' has no plan in order_plan', q.requirement, null,
       (select min(coalesce(s.dispatched_at, s.latest_event_at)) from shipment s where s.request_code = q.request_code),
       null, null, null, q.request_code, null
  from seen_order_request q
  join scope_request x using (request_code)   -- in scope
 where not exists (select 1 from seen_order_plan p where p.order_code = q.order_code);

-- part: blocked_batch_shipped
-- A batch the trader blocked, allocated to a shipment. Of the shipment. From the shipments' bags: the planner,
-- misjudging the two-column join, started from every blocked batch of the history.
insert into finding
with shipped as materialized (
    select e.request_code, e.shipment_code, e.lot_code, e.lot_ts, e.kg
      from edge_record_shipment e
      join scope_shipment x using (request_code, shipment_code)   -- in scope
     where e.record_kind = 'blendsheet'
)
select 'blocked_batch_shipped', 'error',
       'batch ' || e.lot_code || ' -> request ' || e.request_code || ' / shipment ' || e.shipment_code,
       'batch ' || e.lot_code || ' is TRADER_BLOCKED but ' || sum(e.kg) || ' kg of it are allocated to the shipment',
       sum(e.kg), 0, min(b.created_at),
       null, null, null, e.request_code, e.shipment_code
  from shipped e
  join snapshot.blendsheet_batch b on b.item_code = e.lot_code and b.created_ts = e.lot_ts   -- a blend bag's lot is its batch
 where b.trader_status = 'TRADER_BLOCKED'
 group by e.lot_code, e.request_code, e.shipment_code;

-- part: bag_weight_and_place
-- Of a bag, in one pass over the bags in scope (a part each, they read every one of them twice: a day's 14,750
-- bags, 60,000 pages each): a record allocated beyond its net weight (over_allocated_record), and a record in
-- the wrong kind of section (location_violation): herbline records only in herbline sections, every other
-- record only outside them.
insert into finding
select c.check_name, 'error', c.keys, c.message, c.amount_kg, c.expected_kg, r.received_at,
       r.barcode, null, null, null, null
  from record r
  join scope_record s using (barcode)   -- in scope
  left join snapshot.store_location l on l.location_name = r.store_location
 cross join lateral (
    select 'over_allocated_record' as check_name, r.record_kind || ' bag ' || r.barcode || ' of ' || r.item_code as keys,
           'allocated ' || r.allocated_kg || ' kg of a net ' || r.net_kg || ' kg (' || -r.remaining_kg || ' kg too much)' as message,
           r.allocated_kg as amount_kg, r.net_kg as expected_kg
     where r.remaining_kg < 0
    union all
    select 'location_violation', r.record_kind || ' bag ' || r.barcode,
           r.record_kind || ' record stored in ' || r.store_location
           || case when l.herbline_section then ', a herbline section' else ', not a herbline section' end,
           r.net_kg, null
     where l.herbline_section <> (r.record_kind = 'herbline')
 ) c
 where r.remaining_kg < 0 or l.herbline_section <> (r.record_kind = 'herbline');

-- part: dispatched_without_event
-- Record status and shipment events out of step. Of a bag.
insert into finding
select 'dispatched_without_event', 'warning', r.record_kind || ' bag ' || r.barcode,
       'bag is DISPATCHED but none of its shipments has a SHIPMENT_DISPATCHED event', r.net_kg, null, r.received_at,
       r.barcode, null, null, null, null
  from record r
  join scope_record s using (barcode)   -- in scope
 where r.status = 'DISPATCHED'
   and not exists (select 1 from edge_record_shipment e
                     join shipment f on f.request_code = e.request_code and f.shipment_code = e.shipment_code
                    where e.lot_code = r.item_code and e.lot_ts = r.created_ts and e.barcode = r.barcode   -- by lot
                      and f.dispatched_at is not null);

-- part: event_without_dispatched_bags
-- Of a shipment.
insert into finding
select 'event_without_dispatched_bags', 'warning',
       'request ' || s.request_code || ' / shipment ' || s.shipment_code,
       count(*) || ' allocated bag(s) not DISPATCHED although the shipment has a SHIPMENT_DISPATCHED event',
       sum(e.kg), null, min(s.dispatched_at),
       null, null, null, s.request_code, s.shipment_code
  from shipment s
  join scope_shipment x using (request_code, shipment_code)   -- in scope
  join edge_record_shipment e on e.request_code = s.request_code and e.shipment_code = s.shipment_code
  join record r on r.barcode = e.barcode
 where s.dispatched_at is not null and r.status <> 'DISPATCHED'
 group by s.request_code, s.shipment_code;

-- part: yield_above_100
-- Yield above 100 % is a data error. Of a batch.
insert into finding
select 'yield_above_100', 'error', 'batch ' || y.batch_code,
       'output ' || y.output_kg || ' kg exceeds input ' || y.input_kg || ' kg (yield ' || y.yield_pct || ' %)',
       y.output_kg, y.input_kg, coalesce(y.completed_at, y.created_at),
       null, y.batch_code, y.batch_ts, null, null
  from batch_yield y
  join scope_batch s using (batch_code, batch_ts)   -- in scope
 where y.above_100;

-- part: genealogy_cycle
-- Genealogy that loops back on itself: a batch took a balance of a later batch that descends from it (the link
-- 02_attribution cut). One finding per batch, naming the batches whose balances close the loop. Of a batch.
insert into finding
select 'genealogy_cycle', 'error', 'batch ' || l.batch_code,
       'genealogy loops: batch ' || l.batch_code || ' took a balance of '
       || string_agg(distinct 'batch ' || l.source_batch_code, ', ')
       || case when bool_and(l.source_batch_code = l.batch_code and l.source_batch_ts = l.batch_ts) then ' (its own)'
               else ', which descends from it' end
       || '; the looping share (' || to_char(round(sum(l.share) * 100, 2), 'FM990.00') || ' % of its input) is reported as untraced',
       null::numeric, null::numeric, min(b.created_at),
       null, l.batch_code, l.batch_ts, null, null
  from batch_link l
  join scope_batch s using (batch_code, batch_ts)   -- in scope
  left join snapshot.blendsheet_batch b on b.item_code = l.batch_code and b.created_ts = l.batch_ts
 where l.in_loop
 group by l.batch_code, l.batch_ts;

-- part: finding_check
select ensure_index($$create index finding_check on finding (check_name)$$);
select analyze_when_full('finding');
