-- The keys a full build computes: every key of every kind. The facts' definitions (sql/build/0N_*.sql) compute
-- the rows of the keys in these tables; an incremental build fills them with what the change reaches instead
-- (changes.sql), so both run the same definitions.
-- Inputs: schema snapshot, Manager's order tables. Outputs: the temporary tables scope_record (bags),
-- scope_batch, scope_balance (blendbalance lots), scope_lot (tealine lots), scope_blendsheet, scope_shipment,
-- scope_request, scope_order.

create temp table scope_record on commit drop as
select barcode from snapshot.tealine_record
union all select barcode from snapshot.herbline_record
union all select barcode from snapshot.blendbalance_record
union all select barcode from snapshot.blendsheet_record
union all select barcode from snapshot.flavorsheet_record;

-- Every batch the genealogy can name: made (blendsheet_batch), allocated to, or with output bags.
create temp table scope_batch on commit drop as
select item_code as batch_code, created_ts as batch_ts from snapshot.blendsheet_batch
union select item_code, created_ts from snapshot.tealine_allocate_blendsheet
union select item_code, created_ts from snapshot.blendbalance_allocate_blendsheet
union select item_code, created_ts from snapshot.blendsheet_record;

-- Every batch is in scope: none lies outside it (changes.sql).
create temp table scope_source on commit drop as
select batch_code, batch_ts from scope_batch where false;

create temp table scope_balance on commit drop as
select item_code as balance_code, created_ts as balance_ts from snapshot.blendbalance;

create temp table scope_lot on commit drop as
select item_code, created_ts from snapshot.tealine
union select item_code, created_ts from snapshot.tealine_record;

create temp table scope_blendsheet on commit drop as
select blendsheet_no from snapshot.blendsheet
union select blendsheet_no from snapshot.blendsheet_batch
union select blendsheet_no from snapshot.blendsheet_mix_tealine
union select blendsheet_no from snapshot.blendsheet_mix_blendbalance;

create temp table scope_shipment on commit drop as
select request_code, shipment_code from public.order_shipment
union select request_code, shipment_code from snapshot.tealine_allocate_shipment
union select request_code, shipment_code from snapshot.blendsheet_allocate_shipment
union select request_code, shipment_code from snapshot.tealine_allocate_parcel
union select request_code, shipment_code from snapshot.blendsheet_allocate_parcel;

create temp table scope_request on commit drop as
select distinct request_code from public.order_request;

create temp table scope_order on commit drop as
select order_code from public.order_plan
union select order_code from public.order_request
union select order_code from public.order_schedule where order_code is not null;
