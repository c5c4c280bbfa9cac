-- The keys an incremental build recomputes: everything the changes since the facts' snapshot reach, and
-- nothing else. The facts' definitions then recompute exactly these keys (every_key.sql is the full build's).
-- Inputs: delta_<table> (temporary views over the pull's snapshot.delta_<table>, or empty when the facts are of
-- the current snapshot), delta_order_* (Manager's order tables against what the facts read of them,
-- facts.seen_order_*), the published facts as they were (before anything is recomputed) and the new snapshot.
-- Every delta has both sides of a change ('old' and 'new' rows), so a key that moved is recomputed where it was
-- and where it is. Outputs: the scope_* tables of every_key.sql.
-- A bag's batches and shipments are looked up in the new snapshot only: the facts' edges of a bag (edge_record_batch,
-- edge_record_shipment, edge_parcel) are the earlier snapshot's allocations, and each of those is either still
-- in the snapshot or the old side of a delta, whose batch or shipment is in scope already. Looking the day's bags up
-- in the facts' edges as well probed three more indexes of the whole history for nothing.
-- Rules: a bag is reached by a change of its record or of any allocation of it, of its location, or of a
-- shipment it is allocated to; a batch by a change of its row, of its allocations or output bags, of a bag or
-- a balance lot it took, and by any batch it took a balance of, at any depth (batch_link, followed forward); a
-- shipment by a change in Manager, of its allocations or parcels, of a bag allocated to it, and by a batch whose
-- bags it ships.

-- Bags whose own row or allocations changed, each with its kind: the table of bags it is in, or that Central's
-- foreign keys make it be in (an allocation's bag is of its table's kind, a parcel's of its shipment allocation's:
-- DOMAIN.md), so that a bag's allocations are looked for only in the tables of its kind. A bag is once in
-- scope_record below, whatever kinds it has here.
-- The bags' tables are written in barcode order (the order the day's bags are then looked up, deleted and
-- inserted in): their probes walk each history-sized index by barcode from one end to the other, where in the
-- order a hash left them each probe went to a page far from the last (same pages, 30 against 45-70 ms per
-- 15,000 probes at two million bags: the processor's caches, not the disk).
create temp table scope_record_kind on commit drop as
select barcode, record_kind from (
    select barcode, 'tealine' as record_kind from delta_tealine_record
    union select barcode, 'herbline' from delta_herbline_record
    union select barcode, 'blendbalance' from delta_blendbalance_record
    union select barcode, 'blendsheet' from delta_blendsheet_record
    union select barcode, 'flavorsheet' from delta_flavorsheet_record
    union select barcode, 'tealine' from delta_tealine_allocate_blendsheet
    union select barcode, 'blendbalance' from delta_blendbalance_allocate_blendsheet
    union select barcode, 'tealine' from delta_tealine_allocate_shipment
    union select barcode, 'blendsheet' from delta_blendsheet_allocate_shipment
    union select barcode, 'tealine' from delta_tealine_allocate_parcel
    union select barcode, 'blendsheet' from delta_blendsheet_allocate_parcel
    -- A location's change (rare) reaches every bag stored there: facts.record has no index by location, and the
    -- one-time filter (no location changed: no scan) keeps a day without one from reading every bag.
    union select r.barcode, r.record_kind from facts.record r
     where r.store_location in (select location_name from delta_store_location)
       and exists (select from delta_store_location)
) bags
order by barcode;

-- Shipments changed in Manager, or in their allocations and parcels. A request's change (its order, its product)
-- reaches every shipment under it, allocated or not; a schedule's, every parcel naming it.
create temp table scope_shipment on commit drop as
with requests as (
    select request_code from delta_order_request
),
schedules as (
    select schedule_code from delta_order_schedule
)
select request_code, shipment_code from delta_order_shipment
union select request_code, shipment_code from delta_order_shipment_event
union select s.request_code, s.shipment_code from requests q join facts.shipment s using (request_code)
union select s.request_code, s.shipment_code from requests q join public.order_shipment s using (request_code)
union select e.request_code, e.shipment_code from requests q join snapshot.tealine_allocate_shipment e using (request_code)
union select e.request_code, e.shipment_code from requests q join snapshot.blendsheet_allocate_shipment e using (request_code)
union select e.request_code, e.shipment_code from requests q join snapshot.tealine_allocate_parcel e using (request_code)
union select e.request_code, e.shipment_code from requests q join snapshot.blendsheet_allocate_parcel e using (request_code)
union select p.request_code, p.shipment_code from schedules d join snapshot.tealine_allocate_parcel p using (schedule_code)
union select p.request_code, p.shipment_code from schedules d join snapshot.blendsheet_allocate_parcel p using (schedule_code)
union select request_code, shipment_code from delta_tealine_allocate_shipment
union select request_code, shipment_code from delta_blendsheet_allocate_shipment
union select request_code, shipment_code from delta_tealine_allocate_parcel
union select request_code, shipment_code from delta_blendsheet_allocate_parcel;

-- The bags of those shipments: whether a bag was dispatched with an event is a fact of the bag.
insert into scope_record_kind
select e.barcode, e.record_kind from scope_shipment s join facts.edge_record_shipment e using (request_code, shipment_code)
union select e.barcode, 'tealine' from scope_shipment s join snapshot.tealine_allocate_shipment e using (request_code, shipment_code)
union select e.barcode, 'blendsheet' from scope_shipment s join snapshot.blendsheet_allocate_shipment e using (request_code, shipment_code)
except select barcode, record_kind from scope_record_kind;
analyze scope_record_kind;

-- The scope's bags, each once.
create temp table scope_record on commit drop as
select distinct barcode from scope_record_kind order by barcode;

-- The bags new since the facts' snapshot (a row on the new side of a table of bags' changes, none on the old),
-- and those the facts hold: all the others. Most of a day's bags are new, in none of the facts' tables: the
-- record probed its index by each of them to delete nothing.
create temp table scope_record_new on commit drop as
select barcode
  from (select side, barcode from delta_tealine_record
        union all select side, barcode from delta_herbline_record
        union all select side, barcode from delta_blendbalance_record
        union all select side, barcode from delta_blendsheet_record
        union all select side, barcode from delta_flavorsheet_record) d
 group by barcode
having not bool_or(side = 'old')
 order by barcode;

create temp table scope_record_held on commit drop as
select barcode from (select barcode from scope_record except select barcode from scope_record_new) held
 order by barcode;
analyze scope_record_new, scope_record_held;

-- The rows of the scope's bags, which the record writes: a bag the facts hold from the table of its kind, a new
-- bag as the new side of its table's changes (the row the snapshot has: 15,000 probes of history-sized indexes a
-- day not made). every_key.sql's is a view of every bag.
create temp table scope_record_row on commit drop as
with held as (
    select r.barcode, r.record_kind from scope_record_kind r join scope_record_held h using (barcode)
)
select 'tealine' as record_kind, t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location,
       t.status, t.gross_weight, t.bag_weight
  from held r join snapshot.tealine_record t using (barcode)
 where r.record_kind = 'tealine'
union all
select 'herbline', t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location, t.status,
       t.gross_weight, t.bag_weight
  from held r join snapshot.herbline_record t using (barcode)
 where r.record_kind = 'herbline'
union all
select 'blendbalance', t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location, t.status,
       t.gross_weight, t.bag_weight
  from held r join snapshot.blendbalance_record t using (barcode)
 where r.record_kind = 'blendbalance'
union all
select 'blendsheet', t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location, t.status,
       t.gross_weight, t.bag_weight
  from held r join snapshot.blendsheet_record t using (barcode)
 where r.record_kind = 'blendsheet'
union all
select 'flavorsheet', t.barcode, t.item_code, t.created_ts, t.received_ts, t.received_at, t.store_location, t.status,
       t.gross_weight, t.bag_weight
  from held r join snapshot.flavorsheet_record t using (barcode)
 where r.record_kind = 'flavorsheet';
-- The new bags' joins with their changes are hashed, where this file otherwise goes from keys to indexes
-- (FactsBuild turns hash and merge joins off for it): the changes have no statistics, and a nested loop, taking
-- them for a few rows, scanned them once per new bag (8 s a day). In barcode order, as the bags' other tables.
select set_config('enable_hashjoin', 'on', true), set_config('enable_nestloop', 'off', true);
insert into scope_record_row
select 'tealine', d.barcode, d.item_code, d.created_ts, d.received_ts, d.received_at, d.store_location, d.status,
       d.gross_weight, d.bag_weight
  from scope_record_new n join delta_tealine_record d using (barcode)
 where d.side = 'new'
union all
select 'herbline', d.barcode, d.item_code, d.created_ts, d.received_ts, d.received_at, d.store_location, d.status,
       d.gross_weight, d.bag_weight
  from scope_record_new n join delta_herbline_record d using (barcode)
 where d.side = 'new'
union all
select 'blendbalance', d.barcode, d.item_code, d.created_ts, d.received_ts, d.received_at, d.store_location, d.status,
       d.gross_weight, d.bag_weight
  from scope_record_new n join delta_blendbalance_record d using (barcode)
 where d.side = 'new'
union all
select 'blendsheet', d.barcode, d.item_code, d.created_ts, d.received_ts, d.received_at, d.store_location, d.status,
       d.gross_weight, d.bag_weight
  from scope_record_new n join delta_blendsheet_record d using (barcode)
 where d.side = 'new'
union all
select 'flavorsheet', d.barcode, d.item_code, d.created_ts, d.received_ts, d.received_at, d.store_location, d.status,
       d.gross_weight, d.bag_weight
  from scope_record_new n join delta_flavorsheet_record d using (barcode)
 where d.side = 'new'
 order by barcode;
select set_config('enable_hashjoin', 'off', true), set_config('enable_nestloop', 'on', true);
analyze scope_record_row;

-- The scope's bags' counted allocations (to shipments and batches; parcels refine shipments), looked for once:
-- the record's allocated kilograms, the bags' batches and their shipments below read them, where each probed
-- all four tables by bag again (a day's 14,750 bags: 20 ms a table a time). A bag the facts hold is looked up
-- in the tables of its kind. A new bag's allocations are all new as well (Central's foreign keys: none could
-- name it before it was), so they are the new side of the allocations' changes, and its 15,000 probes of
-- history-sized indexes (100 ms a day) are not made. every_key.sql's is a view of every allocation.
create temp table scope_record_allocation on commit drop as
with held as (
    select r.barcode, r.record_kind from scope_record_kind r join scope_record_held h using (barcode)
)
select a.barcode, a.amount, null::text as batch_code, null::bigint as batch_ts, a.request_code, a.shipment_code
  from held r join snapshot.tealine_allocate_shipment a using (barcode)
 where r.record_kind = 'tealine'
union all
select a.barcode, a.amount, null, null, a.request_code, a.shipment_code
  from held r join snapshot.blendsheet_allocate_shipment a using (barcode)
 where r.record_kind = 'blendsheet'
union all
select a.barcode, a.amount, a.item_code, a.created_ts, null, null
  from held r join snapshot.tealine_allocate_blendsheet a using (barcode)
 where r.record_kind = 'tealine'
union all
select a.barcode, a.amount, a.item_code, a.created_ts, null, null
  from held r join snapshot.blendbalance_allocate_blendsheet a using (barcode)
 where r.record_kind = 'blendbalance';
-- Hashed, as the new bags' rows above.
select set_config('enable_hashjoin', 'on', true), set_config('enable_nestloop', 'off', true);
insert into scope_record_allocation
with tealine_shipment as (
    -- A pull's changes carried on (pulls without a build between them) may hold a row new in one pull and old in
    -- the next: what is new and not old again is what the snapshot has.
    select barcode, request_code, shipment_code, amount, remaining from delta_tealine_allocate_shipment where side = 'new'
    except all
    select barcode, request_code, shipment_code, amount, remaining from delta_tealine_allocate_shipment where side = 'old'
),
blendsheet_shipment as (
    select barcode, request_code, shipment_code, amount, remaining from delta_blendsheet_allocate_shipment where side = 'new'
    except all
    select barcode, request_code, shipment_code, amount, remaining from delta_blendsheet_allocate_shipment where side = 'old'
),
tealine_batch as (
    select barcode, item_code, created_ts, amount from delta_tealine_allocate_blendsheet where side = 'new'
    except all
    select barcode, item_code, created_ts, amount from delta_tealine_allocate_blendsheet where side = 'old'
),
blendbalance_batch as (
    select barcode, item_code, created_ts, amount from delta_blendbalance_allocate_blendsheet where side = 'new'
    except all
    select barcode, item_code, created_ts, amount from delta_blendbalance_allocate_blendsheet where side = 'old'
)
select d.barcode, d.amount, null::text, null::bigint, d.request_code, d.shipment_code
  from scope_record_new n join tealine_shipment d using (barcode)
union all
select d.barcode, d.amount, null, null, d.request_code, d.shipment_code
  from scope_record_new n join blendsheet_shipment d using (barcode)
union all
select d.barcode, d.amount, d.item_code, d.created_ts, null, null
  from scope_record_new n join tealine_batch d using (barcode)
union all
select d.barcode, d.amount, d.item_code, d.created_ts, null, null
  from scope_record_new n join blendbalance_batch d using (barcode);
select set_config('enable_hashjoin', 'off', true), set_config('enable_nestloop', 'on', true);
analyze scope_record_allocation;

-- Blendbalance lots whose row changed, or whose source bag (transfer_id) changed: the bag as it was (the facts'
-- edge) and as it is (the snapshot's index on lower(transfer_id), as transfer_barcode() reads it).
create temp table scope_balance on commit drop as
select item_code as balance_code, created_ts as balance_ts from delta_blendbalance
union select s.balance_code, s.balance_ts from delta_blendsheet_record d join facts.edge_balance_source s on s.source_barcode = d.barcode
union select b.item_code, b.created_ts
  from delta_blendsheet_record d join snapshot.blendbalance b on lower(b.transfer_id) = d.barcode::text;

-- Batches changed themselves, then everything downstream of them through the balances they left.
create temp table scope_batch on commit drop as
with recursive direct as (
    select item_code as batch_code, created_ts as batch_ts from delta_blendsheet_batch
    union select item_code, created_ts from delta_tealine_allocate_blendsheet
    union select item_code, created_ts from delta_blendbalance_allocate_blendsheet
    union select item_code, created_ts from delta_blendsheet_record
    union select batch_code, batch_ts from scope_record_allocation where batch_code is not null
    union select e.batch_code, e.batch_ts
      from scope_balance b
      join facts.edge_record_batch e on e.record_kind = 'blendbalance' and e.lot_code = b.balance_code and e.lot_ts = b.balance_ts
    union select a.item_code, a.created_ts
      from scope_balance b
      join snapshot.blendbalance_record r on r.item_code = b.balance_code and r.created_ts = b.balance_ts
      join snapshot.blendbalance_allocate_blendsheet a on a.barcode = r.barcode
),
downstream as (
    select batch_code, batch_ts from direct
    union
    select l.batch_code, l.batch_ts
      from downstream d
      join facts.batch_link l on l.source_batch_code = d.batch_code and l.source_batch_ts = d.batch_ts
)
select batch_code, batch_ts from downstream;


-- The batches outside the scope whose balances a batch of it took, as before and as now: a batch that took
-- nothing itself is in the genealogy (at level 0) only while a batch takes its balance (02_attribution). Their
-- own facts do not change.
create temp table scope_source on commit drop as
with changed as (
    select batch_code, batch_ts from scope_batch
),
sources as (
    select l.source_batch_code as batch_code, l.source_batch_ts as batch_ts
      from changed d join facts.batch_link l using (batch_code, batch_ts)
    union
    select o.item_code, o.created_ts
      from changed d
      join snapshot.blendbalance_allocate_blendsheet a on a.item_code = d.batch_code and a.created_ts = d.batch_ts
      join snapshot.blendbalance_record r on r.barcode = a.barcode
      join snapshot.blendbalance b on b.item_code = r.item_code and b.created_ts = r.created_ts
      join snapshot.blendsheet_record o on o.barcode = facts.transfer_barcode(b.transfer_id)
)
select batch_code, batch_ts from sources
except select batch_code, batch_ts from scope_batch;

-- The shipments of the batches' bags (as they were and as they are), and of the bags reached. A bag's parcels
-- name only shipments it is allocated to (a parcel refines a shipment allocation: Central's foreign key), so its
-- shipment allocations reach them all; its parcels are not looked up by bag as well.
insert into scope_shipment
select e.request_code, e.shipment_code
  from scope_batch b
  join facts.edge_record_shipment e
    on e.lot_code = b.batch_code and e.lot_ts = b.batch_ts and e.record_kind = 'blendsheet'   -- a blend bag's lot is its batch
union
select e.request_code, e.shipment_code
  from scope_batch b
  join snapshot.blendsheet_record r on r.item_code = b.batch_code and r.created_ts = b.batch_ts
  join snapshot.blendsheet_allocate_shipment e on e.barcode = r.barcode
union select request_code, shipment_code from scope_record_allocation where request_code is not null
except select request_code, shipment_code from scope_shipment;

-- Tealine lots whose row or bags changed (receiving).
create temp table scope_lot on commit drop as
select item_code, created_ts from delta_tealine
union select item_code, created_ts from delta_tealine_record;

-- Blendsheets whose row, recipe or batches changed, or whose recipe names a changed tealine lot.
create temp table scope_blendsheet on commit drop as
select blendsheet_no from delta_blendsheet
union select blendsheet_no from delta_blendsheet_mix_tealine
union select blendsheet_no from delta_blendsheet_mix_blendbalance
union select y.blendsheet_no from scope_batch b join facts.batch_yield y using (batch_code, batch_ts)
union select s.blendsheet_no from scope_batch b join snapshot.blendsheet_batch s on s.item_code = b.batch_code and s.created_ts = b.batch_ts
union select i.blendsheet_no from delta_tealine t join facts.blendsheet_ingredient i using (item_code, created_ts);

-- Requests changed, of a changed plan, or of a shipment reached (a request's finding is dated by its shipments).
create temp table scope_request on commit drop as
select request_code from delta_order_request
union select q.request_code from delta_order_plan p join public.order_request q using (order_code)
union select distinct request_code from scope_shipment;

-- Orders whose plan, requests or schedules changed, or whose shipments were reached.
create temp table scope_order on commit drop as
select order_code from delta_order_plan
union select order_code from delta_order_request
union select order_code from delta_order_schedule where order_code is not null
union select s.order_code from scope_shipment x join facts.shipment s using (request_code, shipment_code)
union select q.order_code from scope_shipment x join public.order_request q using (request_code);

-- Statistics of the scope, so that the facts' definitions are planned on its real size (a handful of keys).
analyze scope_record;
analyze scope_record_held;
analyze scope_batch;
analyze scope_balance;
analyze scope_lot;
analyze scope_blendsheet;
analyze scope_shipment;
analyze scope_request;
analyze scope_order;
