-- Fills an empty Central fixture with a consistent state of about 2.1 million rows (6,000 lots) for scripts/bench-pull
-- (until `mtp-etl generate state` exists). Rows obey Central's rules by construction; the triggers are off
-- during the fill only for speed (they would compute the same status and remaining).
-- Parameter: :lots (tealine lots of 100 bags each; 6000 gives 600,000 bags).
set session_replication_role = replica;

insert into store_location values ('WH-A', false), ('WH-B', false), ('HERB-1', true);

insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
select 'TL-' || l, 1700000000000 + l * 1000, 'INV-' || l, (array['BOP','FBOP','PEKOE','DUST'])[1 + l % 4], 100, 50.00,
       'Broker ' || (l % 7), 'Garden ' || (l % 53), 'PO-' || (l / 10)
  from generate_series(1, :lots) l;

insert into blendsheet (blendsheet_no, standard, grade, remarks, no_of_batches, total, blend_code)
select 'BS-' || b, 'STD-' || (b % 9), 'BOP', 'bench', 2, 4000.00, 'BLD-' || (b % 30)
  from generate_series(1, :lots / 10) b;

insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, humidity, density, trader_status)
select 'B-' || b, 1710000000000 + b * 1000, 'BS-' || (1 + (b - 1) / 2), true, 0.5, 0.4, 'TRADER_ALLOWED'
  from generate_series(1, :lots / 5) b;

-- 100 bags per lot: the first 60 go into batches, the rest to shipments.
insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('tl' || l || '-' || g)::uuid, 'TL-' || l, 1700000000000 + l * 1000, 1700000000000 + l * 1000 + g * 60000,
       'WH-' || (array['A','B'])[1 + g % 2], 1.00, 50.00 + (g % 5) * 0.25, 'ACCEPTED', 49.00 + (g % 5) * 0.25
  from generate_series(1, :lots) l, generate_series(1, 100) g;

insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
select md5('tl' || l || '-' || g)::uuid, 'B-' || (1 + (l - 1) / 5), 1710000000000 + (1 + (l - 1) / 5) * 1000, 49.00
  from generate_series(1, :lots) l, generate_series(1, 60) g;

insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select md5('tl' || l || '-' || g)::uuid, 1 + l / 4, 1 + g % 2, 49.00, 49.00
  from generate_series(1, :lots) l, generate_series(61, 100) g;

insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount)
select md5('tl' || l || '-' || g)::uuid, 1 + l / 4, 1 + g % 2, l, 10.00
  from generate_series(1, :lots) l, generate_series(61, 100) g;

insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('bs' || b || '-' || g)::uuid, 'B-' || b, 1710000000000 + b * 1000, 1710000000000 + b * 1000 + g * 60000,
       'WH-A', 1.00, 50.00, 'ACCEPTED', 49.00
  from generate_series(1, :lots / 5) b, generate_series(1, 280) g;

insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select md5('bs' || b || '-' || g)::uuid, 100000 + b, 1, 49.00, 49.00
  from generate_series(1, :lots / 5) b, generate_series(1, 280) g;

insert into blendsheet_mix_tealine (blendsheet_no, item_code, created_ts, no_of_bags)
select 'BS-' || (1 + (l - 1) / 10), 'TL-' || l, 1700000000000 + l * 1000, 60
  from generate_series(1, :lots) l;

set session_replication_role = origin;
analyze;

-- Blendbalance re-use: each batch's last output bag leaves a balance that goes into the next batch, in chains
-- of at most ten batches (genealogy several levels deep, as in production).
set session_replication_role = replica;
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select 'BB-' || b, 1720000000000 + b * 1000, 'BLD-' || (b % 30), 20.00, md5('bs' || b || '-280')::uuid::text
  from generate_series(1, :lots / 5) b
 where b % 10 <> 0;
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('bb' || b)::uuid, 'BB-' || b, 1720000000000 + b * 1000, 1720000000000 + b * 1000 + 1000, 'WH-B', 0.50, 20.50, 'ACCEPTED', 20.00
  from generate_series(1, :lots / 5) b
 where b % 10 <> 0;
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select md5('bb' || b)::uuid, 'B-' || (b + 1), 1710000000000 + (b + 1) * 1000, 20.00
  from generate_series(1, :lots / 5) b
 where b % 10 <> 0;
set session_replication_role = origin;
analyze;
