-- Reconciliation findings: every check of DOMAIN.md, plus yield above 100 % and genealogy cycles, in one table.
-- severity: error (data that cannot be right), warning (out of step, to be looked at).

create table facts_next.finding (
    check_name  text    not null,
    severity    text    not null check (severity in ('error', 'warning')),
    keys        text    not null,     -- the rows concerned, as a person reads them
    message     text    not null,
    amount_kg   numeric,              -- the figure found
    expected_kg numeric,              -- the figure it should be
    occurred_at timestamptz           -- when the row it is about happened (bag received, batch made, shipment's
                                      -- dispatch or latest event); null: reports date it by the build's data time
);

-- Allocated kg per shipment differs from order_shipment.quantity (DOMAIN decision 4).
insert into facts_next.finding
with allocated as (
    select request_code, shipment_code, sum(kg) as kg
      from facts_next.edge_record_shipment
     group by request_code, shipment_code
)
select 'quantity_mismatch', 'warning',
       'request ' || s.request_code || ' / shipment ' || s.shipment_code,
       'allocated ' || coalesce(a.kg, 0) || ' kg, order_shipment.quantity is ' || coalesce(s.quantity::text, 'empty'),
       coalesce(a.kg, 0), s.quantity, coalesce(f.dispatched_at, f.latest_event_at)
  from public.order_shipment s
  left join allocated a on a.request_code = s.request_code and a.shipment_code = s.shipment_code
  left join facts_next.shipment f on f.request_code = s.request_code and f.shipment_code = s.shipment_code
 where coalesce(a.kg, 0) <> coalesce(s.quantity, 0);

-- Allocations to a request or shipment that Manager does not have.
insert into facts_next.finding
select 'orphan_allocation', 'error',
       e.record_kind || ' bag ' || e.barcode || ' -> request ' || e.request_code || ' / shipment ' || e.shipment_code,
       case when q.request_code is null then 'request ' || e.request_code || ' does not exist in Manager'
            else 'shipment ' || e.shipment_code || ' of request ' || e.request_code || ' does not exist in Manager' end,
       e.kg, null, r.received_at
  from facts_next.edge_record_shipment e
  left join facts_next.record r on r.barcode = e.barcode and r.record_kind = e.record_kind
  left join public.order_request q on q.request_code = e.request_code
  left join public.order_shipment s on s.request_code = e.request_code and s.shipment_code = e.shipment_code
 where s.request_code is null;

insert into facts_next.finding
select 'orphan_parcel_schedule', 'error',
       p.record_kind || ' bag ' || p.barcode || ' -> schedule ' || p.schedule_code,
       'parcel allocation names schedule ' || p.schedule_code || ', which does not exist in Manager',
       p.kg, null, r.received_at
  from facts_next.edge_parcel p
  left join facts_next.record r on r.barcode = p.barcode and r.record_kind = p.record_kind
 where not exists (select 1 from public.order_schedule o where o.schedule_code = p.schedule_code);

-- Requests whose order has no plan (reported, not refused: a request can arrive before its plan).
insert into facts_next.finding
select 'request_without_plan', 'warning', 'request ' || q.request_code || ' / order ' || q.order_code,
       'order ' || q.order_code || ' has no plan in order_plan', q.requirement, null,
       (select min(coalesce(s.dispatched_at, s.latest_event_at)) from facts_next.shipment s where s.request_code = q.request_code)
  from public.order_request q
 where not exists (select 1 from public.order_plan p where p.order_code = q.order_code);

-- A record allocated beyond its net weight.
insert into facts_next.finding
select 'over_allocated_record', 'error', b.record_kind || ' bag ' || b.barcode || ' of ' || b.item_code,
       'allocated ' || b.allocated_kg || ' kg of a net ' || b.net_kg || ' kg (' || -b.remaining_kg || ' kg too much)',
       b.allocated_kg, b.net_kg, r.received_at
  from facts_next.record_balance b
  join facts_next.record r on r.barcode = b.barcode and r.record_kind = b.record_kind
 where b.remaining_kg < 0;

-- A batch the trader blocked, allocated to a shipment.
insert into facts_next.finding
select 'blocked_batch_shipped', 'error',
       'batch ' || o.batch_code || ' -> request ' || e.request_code || ' / shipment ' || e.shipment_code,
       'batch ' || o.batch_code || ' is TRADER_BLOCKED but ' || sum(e.kg) || ' kg of it are allocated to the shipment',
       sum(e.kg), 0, min(b.created_at)
  from facts_next.edge_record_shipment e
  join facts_next.edge_batch_output o on o.barcode = e.barcode
  join snapshot.blendsheet_batch b on b.item_code = o.batch_code and b.created_ts = o.batch_ts
 where e.record_kind = 'blendsheet' and b.trader_status = 'TRADER_BLOCKED'
 group by o.batch_code, e.request_code, e.shipment_code;

-- Herbline records only in herbline sections; every other record only outside them.
insert into facts_next.finding
select 'location_violation', 'error', r.record_kind || ' bag ' || r.barcode,
       r.record_kind || ' record stored in ' || r.store_location
       || case when l.herbline_section then ', a herbline section' else ', not a herbline section' end,
       r.net_kg, null, r.received_at
  from facts_next.record r
  join snapshot.store_location l on l.location_name = r.store_location
 where l.herbline_section <> (r.record_kind = 'herbline');

-- Record status and shipment events out of step.
insert into facts_next.finding
select 'dispatched_without_event', 'warning', r.record_kind || ' bag ' || r.barcode,
       'bag is DISPATCHED but none of its shipments has a SHIPMENT_DISPATCHED event', r.net_kg, null, r.received_at
  from facts_next.record r
 where r.status = 'DISPATCHED'
   and not exists (select 1 from facts_next.edge_record_shipment e
                     join facts_next.shipment s on s.request_code = e.request_code and s.shipment_code = e.shipment_code
                    where e.barcode = r.barcode and s.dispatched_at is not null);

insert into facts_next.finding
select 'event_without_dispatched_bags', 'warning',
       'request ' || s.request_code || ' / shipment ' || s.shipment_code,
       count(*) || ' allocated bag(s) not DISPATCHED although the shipment has a SHIPMENT_DISPATCHED event',
       sum(e.kg), null, min(s.dispatched_at)
  from facts_next.shipment s
  join facts_next.edge_record_shipment e on e.request_code = s.request_code and e.shipment_code = s.shipment_code
  join facts_next.record r on r.barcode = e.barcode
 where s.dispatched_at is not null and r.status <> 'DISPATCHED'
 group by s.request_code, s.shipment_code;

-- Yield above 100 % is a data error.
insert into facts_next.finding
select 'yield_above_100', 'error', 'batch ' || batch_code,
       'output ' || output_kg || ' kg exceeds input ' || input_kg || ' kg (yield ' || yield_pct || ' %)',
       output_kg, input_kg, coalesce(completed_at, created_at)
  from facts_next.batch_yield
 where above_100;

-- Genealogy that loops back on itself: a batch took a balance of a later batch that descends from it (the link
-- 02_attribution cut). One finding per batch, naming the batches whose balances close the loop.
insert into facts_next.finding
select 'genealogy_cycle', 'error', 'batch ' || l.batch_code,
       'genealogy loops: batch ' || l.batch_code || ' took a balance of '
       || string_agg(distinct 'batch ' || l.source_batch_code, ', ')
       || case when bool_and(l.source_batch_code = l.batch_code and l.source_batch_ts = l.batch_ts) then ' (its own)'
               else ', which descends from it' end
       || '; the looping share (' || to_char(round(sum(l.share) * 100, 2), 'FM990.00') || ' % of its input) is reported as untraced',
       null::numeric, null::numeric, min(b.created_at)
  from facts_next.batch_link l
  left join snapshot.blendsheet_batch b on b.item_code = l.batch_code and b.created_ts = l.batch_ts
 where l.in_loop
 group by l.batch_code, l.batch_ts;

create index on facts_next.finding (check_name);
