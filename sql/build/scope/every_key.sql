-- The keys a full build computes: every key of every kind. The facts' definitions (sql/build/0N_*.sql) compute
-- the rows of the keys in these tables; an incremental build fills them with what the change reaches instead
-- (changes.sql), so both run the same definitions.
-- Inputs: schema snapshot, what the build read of Manager's order tables (seen_order_*). Outputs: the tables
-- scope_record (bags), scope_record_held (those the facts hold), scope_batch, scope_source, scope_balance
-- (blendbalance lots), scope_lot (tealine lots), scope_blendsheet, scope_shipment, scope_request, scope_order and
-- the views scope_record_row (the bags' rows) and scope_record_allocation (their allocations), in the schema the
-- build writes: a full build's parts run on several connections, each in a transaction of its own, and all of
-- them read these (unlogged: the build drops them before it publishes the facts).

-- part: scope_record
create unlogged table scope_record as
select barcode from snapshot.tealine_record
union all select barcode from snapshot.herbline_record
union all select barcode from snapshot.blendbalance_record
union all select barcode from snapshot.blendsheet_record
union all select barcode from snapshot.flavorsheet_record;
analyze scope_record;

-- part: scope_record_held
-- The bags in scope that the facts hold already: none, the facts are new.
create unlogged table scope_record_held as
select barcode from scope_record where false;
analyze scope_record_held;

-- part: scope_record_row
-- The rows of the bags in scope, each with its kind, which the record reads: every one. A view, not a copy: the
-- record reads the snapshot's tables through it in barcode order. changes.sql's holds only the scope's bags'.
create view scope_record_row as
select 'tealine' as record_kind, barcode, item_code, created_ts, received_ts, received_at, store_location, status,
       gross_weight, bag_weight
  from snapshot.tealine_record
union all
select 'herbline', barcode, item_code, created_ts, received_ts, received_at, store_location, status, gross_weight, bag_weight
  from snapshot.herbline_record
union all
select 'blendbalance', barcode, item_code, created_ts, received_ts, received_at, store_location, status, gross_weight, bag_weight
  from snapshot.blendbalance_record
union all
select 'blendsheet', barcode, item_code, created_ts, received_ts, received_at, store_location, status, gross_weight, bag_weight
  from snapshot.blendsheet_record
union all
select 'flavorsheet', barcode, item_code, created_ts, received_ts, received_at, store_location, status, gross_weight, bag_weight
  from snapshot.flavorsheet_record;

-- part: scope_record_allocation
-- The counted allocations of the bags in scope (to shipments and batches), which the record sums: every one. A
-- view, not a copy: the record reads the snapshot's tables through it in barcode order. changes.sql's holds
-- only the scope's bags', probed once.
create view scope_record_allocation as
select barcode, amount, null::text as batch_code, null::bigint as batch_ts, request_code, shipment_code
  from snapshot.tealine_allocate_shipment
union all
select barcode, amount, null, null, request_code, shipment_code from snapshot.blendsheet_allocate_shipment
union all
select barcode, amount, item_code, created_ts, null, null from snapshot.tealine_allocate_blendsheet
union all
select barcode, amount, item_code, created_ts, null, null from snapshot.blendbalance_allocate_blendsheet;

-- part: scope_batch
-- Every batch the genealogy can name: made (blendsheet_batch), allocated to, or with output bags.
create unlogged table scope_batch as
select item_code as batch_code, created_ts as batch_ts from snapshot.blendsheet_batch
union select item_code, created_ts from snapshot.tealine_allocate_blendsheet
union select item_code, created_ts from snapshot.blendbalance_allocate_blendsheet
union select item_code, created_ts from snapshot.blendsheet_record;
analyze scope_batch;

-- part: scope_source
-- Every batch is in scope: none lies outside it (changes.sql).
create unlogged table scope_source as
select batch_code, batch_ts from scope_batch where false;
analyze scope_source;

-- part: scope_balance
create unlogged table scope_balance as
select item_code as balance_code, created_ts as balance_ts from snapshot.blendbalance;
analyze scope_balance;

-- part: scope_lot
create unlogged table scope_lot as
select item_code, created_ts from snapshot.tealine
union select item_code, created_ts from snapshot.tealine_record;
analyze scope_lot;

-- part: scope_blendsheet
create unlogged table scope_blendsheet as
select blendsheet_no from snapshot.blendsheet
union select blendsheet_no from snapshot.blendsheet_batch
union select blendsheet_no from snapshot.blendsheet_mix_tealine
union select blendsheet_no from snapshot.blendsheet_mix_blendbalance;
analyze scope_blendsheet;

-- part: scope_shipment
create unlogged table scope_shipment as
select request_code, shipment_code from seen_order_shipment
union select request_code, shipment_code from snapshot.tealine_allocate_shipment
union select request_code, shipment_code from snapshot.blendsheet_allocate_shipment
union select request_code, shipment_code from snapshot.tealine_allocate_parcel
union select request_code, shipment_code from snapshot.blendsheet_allocate_parcel;
analyze scope_shipment;

-- part: scope_request
create unlogged table scope_request as
select distinct request_code from seen_order_request;
analyze scope_request;

-- part: scope_order
create unlogged table scope_order as
select order_code from seen_order_plan
union select order_code from seen_order_request
union select order_code from seen_order_schedule where order_code is not null;
analyze scope_order;
