-- Staging: the snapshot's bags and allocations as genealogy edges, in kilograms.
-- Inputs: schema snapshot (Central, one instant) and Manager's order tables. Output: schema facts_next.

-- Every bag (record) of every kind, with its net weight (DOMAIN decision 1: gross - bag).
create table facts_next.record as
with records as (
    select 'tealine' as record_kind, barcode, item_code, created_ts, received_ts, received_at, store_location,
           status, bag_weight, gross_weight, remaining from snapshot.tealine_record
    union all
    select 'herbline', barcode, item_code, created_ts, received_ts, received_at, store_location,
           status, bag_weight, gross_weight, remaining from snapshot.herbline_record
    union all
    select 'blendbalance', barcode, item_code, created_ts, received_ts, received_at, store_location,
           status, bag_weight, gross_weight, remaining from snapshot.blendbalance_record
    union all
    select 'blendsheet', barcode, item_code, created_ts, received_ts, received_at, store_location,
           status, bag_weight, gross_weight, remaining from snapshot.blendsheet_record
    union all
    select 'flavorsheet', barcode, item_code, created_ts, received_ts, received_at, store_location,
           status, bag_weight, gross_weight, remaining from snapshot.flavorsheet_record
)
select record_kind, barcode, item_code, created_ts, received_ts, received_at, store_location, status,
       gross_weight - bag_weight as net_kg
  from records;
create index on facts_next.record (barcode);
create index on facts_next.record (item_code, created_ts);

-- Bag -> batch: blendsheet ingredient allocations (tealine and blendbalance bags).
create table facts_next.edge_record_batch as
with allocations as (
    select 'tealine' as record_kind, barcode, item_code, created_ts, amount from snapshot.tealine_allocate_blendsheet
    union all
    select 'blendbalance', barcode, item_code, created_ts, amount from snapshot.blendbalance_allocate_blendsheet
)
select a.record_kind, a.barcode, r.item_code as lot_code, r.created_ts as lot_ts,
       a.item_code as batch_code, a.created_ts as batch_ts, a.amount as kg
  from allocations a
  left join facts_next.record r on r.barcode = a.barcode and r.record_kind = a.record_kind;
create index on facts_next.edge_record_batch (batch_code, batch_ts);
create index on facts_next.edge_record_batch (barcode);   -- forward traces start from bags

-- Batch -> output bag: the batch's blendsheet records, each made (scanned in) at its received time; the
-- record's created_ts is its batch's key.
create table facts_next.edge_batch_output as
select barcode, item_code as batch_code, created_ts as batch_ts, net_kg as kg, received_at as made_at
  from facts_next.record
 where record_kind = 'blendsheet';
create index on facts_next.edge_batch_output (barcode);
create index on facts_next.edge_batch_output (batch_code, batch_ts);

-- Bag -> shipment: shipment allocations (tealine and blendsheet bags). Parcel allocations are not here.
create table facts_next.edge_record_shipment as
with allocations as (
    select 'tealine' as record_kind, barcode, request_code, shipment_code, amount from snapshot.tealine_allocate_shipment
    union all
    select 'blendsheet', barcode, request_code, shipment_code, amount from snapshot.blendsheet_allocate_shipment
)
select record_kind, barcode, request_code, shipment_code, amount as kg
  from allocations;
create index on facts_next.edge_record_shipment (barcode);
create index on facts_next.edge_record_shipment (request_code, shipment_code);

-- Blendbalance lot -> the blendsheet bag whose leftover it is (DOMAIN decision 2: transfer_id holds its barcode).
create table facts_next.edge_balance_source as
select b.item_code as balance_code, b.created_ts as balance_ts, o.barcode as source_barcode,
       o.batch_code as source_batch_code, o.batch_ts as source_batch_ts
  from snapshot.blendbalance b
  join facts_next.edge_batch_output o on o.barcode::text = lower(b.transfer_id);

-- Parcel allocations: link a shipment allocation to a production schedule; never counted in quantities.
create table facts_next.edge_parcel as
select 'tealine' as record_kind, barcode, request_code, shipment_code, schedule_code, amount as kg
  from snapshot.tealine_allocate_parcel
union all
select 'blendsheet', barcode, request_code, shipment_code, schedule_code, amount
  from snapshot.blendsheet_allocate_parcel;

-- Shipment -> request -> order, with the kg allocated to it, its latest status and its dispatch.
create table facts_next.shipment as
with allocated as (
    select request_code, shipment_code, sum(kg) as kg
      from facts_next.edge_record_shipment
     group by request_code, shipment_code
),
events as (
    select request_code, shipment_code, status, event_ts, shipment_vehicle,
           row_number() over (partition by request_code, shipment_code order by event_ts desc, status) as recency
      from public.order_shipment_event
),
dispatch as (
    select request_code, shipment_code, event_ts, shipment_vehicle
      from public.order_shipment_event
     where status = 'SHIPMENT_DISPATCHED'
)
select s.request_code, s.shipment_code, s.quantity, q.order_code, q.product_name,
       coalesce(a.kg, 0) as allocated_kg, latest.status as latest_status,
       to_timestamp(latest.event_ts / 1000.0) as latest_event_at,
       to_timestamp(d.event_ts / 1000.0) as dispatched_at, d.shipment_vehicle
  from public.order_shipment s
  join public.order_request q on q.request_code = s.request_code
  left join allocated a on a.request_code = s.request_code and a.shipment_code = s.shipment_code
  left join events latest on latest.request_code = s.request_code and latest.shipment_code = s.shipment_code
                         and latest.recency = 1
  left join dispatch d on d.request_code = s.request_code and d.shipment_code = s.shipment_code;
create unique index on facts_next.shipment (request_code, shipment_code);
