-- build: every
-- Staging: the snapshot's bags and allocations as genealogy edges, in kilograms, for the keys in scope.
-- Inputs: schema snapshot (Central, one instant), Manager's order tables, the scope_* tables (every key in a full
-- build, what the change reaches in an incremental one: sql/build/scope). Output: the schema the build writes
-- (first in the search path: facts_next for a full build, facts for an incremental one).
-- Each table below is keyed by one kind of scope: its rows of those keys are deleted, then computed again.

select plan_for_scope();

-- part: record
-- Every bag (record) of every kind, with its net weight (DOMAIN decision 1: gross - bag) and what is allocated of
-- it: shipment and blendsheet allocations (parcels refine shipments and would count twice), as Central's
-- scan_record() computes it. Keyed by bag: the bags in scope that the facts hold are deleted (none in a full
-- build), and the rows of the bags in scope (scope_record_row) are written with their allocations.
create table if not exists record (
    record_kind text, barcode uuid, item_code text, created_ts bigint, received_ts bigint, received_at timestamptz,
    store_location text, status text, net_kg numeric, allocated_kg numeric, remaining_kg numeric
);
delete from record r using scope_record_held s where r.barcode = s.barcode;
select plan_in_key_order();
insert into record
with records as (
    select t.record_kind, t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location, t.status,
           t.gross_weight - t.bag_weight as net_kg
      from scope_record_row t
),
allocations as (
    select barcode, amount from scope_record_allocation
),
allocated as (
    select barcode, sum(amount) as kg from allocations group by barcode
)
select r.record_kind, r.barcode, r.item_code, r.created_ts, r.received_ts, r.received_at, r.store_location, r.status,
       r.net_kg, coalesce(a.kg, 0) as allocated_kg, r.net_kg - coalesce(a.kg, 0) as remaining_kg
  from records r
  left join allocated a on a.barcode = r.barcode;
select plan_for_scope();
select ensure_index($$create unique index record_barcode on record (barcode)$$);
select analyze_when_full('record');
-- part: record_lot
-- The record's other indexes, each a part of its own: a full build writes them beside the facts that read the
-- record (an index built keeps writers out, not readers).
select ensure_index($$create index record_lot on record (item_code, created_ts)$$);   -- traces start from lots
-- part: record_received
select ensure_index($$create index record_received on record (received_at)$$);   -- the data's newest bag (05_build)

-- part: edge_record_batch
-- Bag -> batch: blendsheet ingredient allocations (tealine and blendbalance bags), each with its bag's lot (from
-- the bag's own table, as `record` has it: so the genealogy does not wait for the record). Keyed by batch.
create table if not exists edge_record_batch (
    record_kind text, barcode uuid, lot_code text, lot_ts bigint, batch_code text, batch_ts bigint, kg numeric
);
delete from edge_record_batch e using scope_batch s where e.batch_code = s.batch_code and e.batch_ts = s.batch_ts;
select plan_in_key_order();
insert into edge_record_batch
with allocations as (
    select 'tealine' as record_kind, a.barcode, t.item_code as lot_code, t.created_ts as lot_ts, a.item_code, a.created_ts, a.amount
      from snapshot.tealine_allocate_blendsheet a
      join scope_batch s on s.batch_code = a.item_code and s.batch_ts = a.created_ts   -- in scope
      left join snapshot.tealine_record t on t.barcode = a.barcode
    union all
    select 'blendbalance', a.barcode, b.item_code, b.created_ts, a.item_code, a.created_ts, a.amount
      from snapshot.blendbalance_allocate_blendsheet a
      join scope_batch s on s.batch_code = a.item_code and s.batch_ts = a.created_ts   -- in scope
      left join snapshot.blendbalance_record b on b.barcode = a.barcode
)
select record_kind, barcode, lot_code, lot_ts, item_code as batch_code, created_ts as batch_ts, amount as kg
  from allocations;
select plan_for_scope();
select analyze_when_full('edge_record_batch');
-- part: edge_record_batch_indexes
select ensure_index($$create index edge_record_batch_batch on edge_record_batch (batch_code, batch_ts)$$);
-- Forward traces start from a lot's bags, a bag's from its lot (trace_fed): by lot, not by barcode. Lots come in
-- time order, so a day's edges go to the end of this index, where a barcode index took them on any of its pages
-- (after a checkpoint each such page is written to the WAL whole again: 13 MB a day at a million bags).
select ensure_index($$create index edge_record_batch_lot on edge_record_batch (lot_code, lot_ts)$$);

-- part: edge_batch_output
-- Batch -> output bag: the batch's blendsheet records, each made (scanned in) at its received time; the
-- record's created_ts is its batch's key. Keyed by batch.
create table if not exists edge_batch_output (barcode uuid, batch_code text, batch_ts bigint, kg numeric, made_at timestamptz);
delete from edge_batch_output o using scope_batch s where o.batch_code = s.batch_code and o.batch_ts = s.batch_ts;
insert into edge_batch_output
select r.barcode, r.item_code, r.created_ts, r.gross_weight - r.bag_weight, r.received_at
  from snapshot.blendsheet_record r
  join scope_batch s on s.batch_code = r.item_code and s.batch_ts = r.created_ts;   -- in scope
-- No index by barcode: a blend bag's batch is its record's item code and creation (facts.record, by barcode), so
-- traces and findings reach a bag's batch there; one here took a day's 6,000 bags on any of its pages (after a
-- checkpoint each page is written to the WAL whole again: 18 MB a day at two million bags).
select ensure_index($$create index edge_batch_output_batch on edge_batch_output (batch_code, batch_ts)$$);
select analyze_when_full('edge_batch_output');

-- part: edge_record_shipment
-- Bag -> shipment: shipment allocations (tealine and blendsheet bags), each with its bag's lot (a tealine lot, or
-- for a blend bag its batch: the record's item_code and created_ts; null for a bag the snapshot lacks), from the
-- bag's own table, as `record` has it. Parcel allocations are not here. Keyed by shipment.
create table if not exists edge_record_shipment (
    record_kind text, barcode uuid, lot_code text, lot_ts bigint, request_code bigint, shipment_code integer, kg numeric
);
delete from edge_record_shipment e using scope_shipment s where e.request_code = s.request_code and e.shipment_code = s.shipment_code;
insert into edge_record_shipment
select 'tealine', a.barcode, t.item_code, t.created_ts, a.request_code, a.shipment_code, a.amount
  from snapshot.tealine_allocate_shipment a
  join scope_shipment s using (request_code, shipment_code)   -- in scope
  left join snapshot.tealine_record t on t.barcode = a.barcode
union all
select 'blendsheet', a.barcode, r.item_code, r.created_ts, a.request_code, a.shipment_code, a.amount
  from snapshot.blendsheet_allocate_shipment a
  join scope_shipment s using (request_code, shipment_code)   -- in scope
  left join snapshot.blendsheet_record r on r.barcode = a.barcode;
select ensure_index($$create index edge_record_shipment_shipment on edge_record_shipment (request_code, shipment_code)$$);
-- A bag's shipments are reached through its lot and then its barcode (traces, findings, the scope of a changed
-- batch), not by barcode alone: lots come in time order, so a day's edges go to the end of this index, where a
-- barcode index took them on any of its pages (after a checkpoint each such page is written to the WAL whole
-- again: 29 MB a day at two million bags). See edge_record_batch_lot.
select ensure_index($$create index edge_record_shipment_lot on edge_record_shipment (lot_code, lot_ts, barcode)$$);
select analyze_when_full('edge_record_shipment');

-- part: edge_balance_source
-- Blendbalance lot -> the blendsheet bag whose leftover it is (DOMAIN decision 2: transfer_id holds its barcode,
-- transfer_barcode). Keyed by blendbalance lot.
create table if not exists edge_balance_source (
    balance_code text, balance_ts bigint, source_barcode uuid, source_batch_code text, source_batch_ts bigint
);
delete from edge_balance_source b using scope_balance s where b.balance_code = s.balance_code and b.balance_ts = s.balance_ts;
insert into edge_balance_source
with balances as (
    select b.item_code, b.created_ts, transfer_barcode(b.transfer_id) as source_barcode
      from snapshot.blendbalance b
      join scope_balance s on s.balance_code = b.item_code and s.balance_ts = b.created_ts   -- in scope
)
select b.item_code, b.created_ts, r.barcode, r.item_code, r.created_ts
  from balances b
  join snapshot.blendsheet_record r on r.barcode = b.source_barcode;
select ensure_index($$create index edge_balance_source_balance on edge_balance_source (balance_code, balance_ts)$$);
select ensure_index($$create index edge_balance_source_barcode on edge_balance_source (source_barcode)$$);
select analyze_when_full('edge_balance_source');

-- part: edge_parcel
-- Parcel allocations: link a shipment allocation to a production schedule; never counted in quantities. Keyed by
-- shipment.
create table if not exists edge_parcel (
    record_kind text, barcode uuid, request_code bigint, shipment_code integer, schedule_code bigint, kg numeric
);
delete from edge_parcel p using scope_shipment s where p.request_code = s.request_code and p.shipment_code = s.shipment_code;
insert into edge_parcel
select 'tealine', a.barcode, a.request_code, a.shipment_code, a.schedule_code, a.amount
  from snapshot.tealine_allocate_parcel a
  join scope_shipment s using (request_code, shipment_code)   -- in scope
union all
select 'blendsheet', a.barcode, a.request_code, a.shipment_code, a.schedule_code, a.amount
  from snapshot.blendsheet_allocate_parcel a
  join scope_shipment s using (request_code, shipment_code);   -- in scope
select ensure_index($$create index edge_parcel_shipment on edge_parcel (request_code, shipment_code)$$);
-- No index by barcode: nothing reads a bag's parcels (its shipment allocations reach them).
select analyze_when_full('edge_parcel');

-- part: shipment
-- Shipment -> request -> order, with the kg allocated to it, its latest status and its dispatch. Keyed by
-- shipment.
create table if not exists shipment (
    request_code bigint, shipment_code integer, quantity integer, order_code text, product_name text, allocated_kg numeric,
    latest_status text, latest_event_at timestamptz, dispatched_at timestamptz, shipment_vehicle text
);
delete from shipment f using scope_shipment s where f.request_code = s.request_code and f.shipment_code = s.shipment_code;
insert into shipment
with shipments as (
    select o.request_code, o.shipment_code, o.quantity
      from seen_order_shipment o
      join scope_shipment s using (request_code, shipment_code)   -- in scope
),
allocated as (
    -- Every edge of the scope's shipments aggregated once (a join with the shipments on their two-column key,
    -- estimated at one row, was sorted to disk), then joined to them.
    select e.request_code, e.shipment_code, sum(e.kg) as kg
      from edge_record_shipment e
      join scope_shipment s using (request_code, shipment_code)   -- in scope
     group by e.request_code, e.shipment_code
),
events as (
    select e.request_code, e.shipment_code, e.status, e.event_ts, e.shipment_vehicle,
           row_number() over (partition by e.request_code, e.shipment_code order by e.event_ts desc, e.status) as recency
      from shipments s join seen_order_shipment_event e using (request_code, shipment_code)
),
dispatch as (
    select e.request_code, e.shipment_code, e.event_ts, e.shipment_vehicle
      from shipments s join seen_order_shipment_event e using (request_code, shipment_code)
     where e.status = 'SHIPMENT_DISPATCHED'
)
select s.request_code, s.shipment_code, s.quantity, q.order_code, q.product_name,
       coalesce(a.kg, 0) as allocated_kg, latest.status as latest_status,
       to_timestamp(latest.event_ts / 1000.0) as latest_event_at,
       to_timestamp(d.event_ts / 1000.0) as dispatched_at, d.shipment_vehicle
  from shipments s
  join seen_order_request q on q.request_code = s.request_code
  left join allocated a on a.request_code = s.request_code and a.shipment_code = s.shipment_code
  left join events latest on latest.request_code = s.request_code and latest.shipment_code = s.shipment_code
                         and latest.recency = 1
  left join dispatch d on d.request_code = s.request_code and d.shipment_code = s.shipment_code;
select ensure_index($$create unique index shipment_key on shipment (request_code, shipment_code)$$);
select analyze_when_full('shipment');
