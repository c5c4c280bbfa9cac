-- Fills an empty Central fixture with one continuously re-used blend: :batches batches in a row, each made from
-- one tealine lot (one 100 kg bag) and the previous batch's 20 kg leftover, which Central keeps as a
-- blendbalance; each batch makes one 99 kg bag, shipped, and the 20 kg leftover bag (1 kg process loss). A
-- year of one blend is about 300 batches. With :cycle_at > 0, batch :cycle_at also takes 5 kg of a balance
-- left by the batch after it, a loop that must be cut and reported. Rows obey Central's rules by
-- construction; the triggers are off during the fill only for speed. With :split = 1 each leftover is split
-- between the next two batches (10 kg each, as two bags of its balance): as many ways from the first batch
-- to the last as Fibonacci's numbers, which a genealogy must not follow one by one.
-- Parameters: :batches, :cycle_at (0: none), :split (0 or 1).
set session_replication_role = replica;

insert into store_location values ('WH-A', false), ('WH-B', false);

insert into blendsheet (blendsheet_no, standard, grade, remarks, no_of_batches, total, blend_code)
values ('BS-CHAIN', 'STD-1', 'BOP', 'one blend, re-used leftover', :batches, 119.00 * :batches, 'BLD-CHAIN');

insert into tealine (item_code, created_ts, invoice_no, grade, no_of_bags, weight_per_bag, broker, garden, purchase_order)
select 'TL-C' || b, 1700000000000 + b * 86400000::bigint, 'INV-C' || b, 'BOP', 1, 100.00, 'Broker 1', 'Garden ' || (b % 17), 'PO-C' || b
  from generate_series(1, :batches) b;
insert into tealine_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('chain-tl' || b)::uuid, 'TL-C' || b, 1700000000000 + b * 86400000::bigint, 1700000000000 + b * 86400000::bigint + 60000,
       'WH-A', 1.00, 101.00, 'ACCEPTED', 0.00
  from generate_series(1, :batches) b;

insert into blendsheet_batch (item_code, created_ts, blendsheet_no, completed, humidity, density, trader_status)
select 'B-C' || b, 1700000000000 + b * 86400000::bigint + 3600000, 'BS-CHAIN', true, 0.5, 0.4, 'TRADER_ALLOWED'
  from generate_series(1, :batches) b;
insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
select md5('chain-tl' || b)::uuid, 'B-C' || b, 1700000000000 + b * 86400000::bigint + 3600000, 100.00
  from generate_series(1, :batches) b;
insert into blendsheet_mix_tealine (blendsheet_no, item_code, created_ts, no_of_bags)
select 'BS-CHAIN', 'TL-C' || b, 1700000000000 + b * 86400000::bigint, 1
  from generate_series(1, :batches) b;

-- Each batch's two bags: the shipped one and the leftover.
insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('chain-out' || b)::uuid, 'B-C' || b, 1700000000000 + b * 86400000::bigint + 3600000, 1700000000000 + b * 86400000::bigint + 7200000,
       'WH-A', 1.00, 100.00, 'DISPATCHED', 0.00
  from generate_series(1, :batches) b
union all
select md5('chain-left' || b)::uuid, 'B-C' || b, 1700000000000 + b * 86400000::bigint + 3600000, 1700000000000 + b * 86400000::bigint + 7260000,
       'WH-B', 1.00, 21.00, 'ACCEPTED', 20.00
  from generate_series(1, :batches) b;
insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
select md5('chain-out' || b)::uuid, 500000 + b, 1, 99.00, 99.00
  from generate_series(1, :batches) b;

-- The leftover of batch b is balance BB-Cb, which goes into batch b + 1 (the last one stays in stock); the
-- first batch takes an opening balance, BB-C0, that descends from no batch Central has.
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select 'BB-C' || b, 1700000000000 + b * 86400000::bigint + 7300000, 'BLD-CHAIN', 20.00,
       case when b = 0 then 'opening stock' else md5('chain-left' || b)::uuid::text end
  from generate_series(0, :batches) b;
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('chain-bb' || b)::uuid, 'BB-C' || b, 1700000000000 + b * 86400000::bigint + 7300000, 1700000000000 + b * 86400000::bigint + 7360000,
       'WH-B', 0.50, case when :split = 1 and b > 0 then 10.50 else 20.50 end, 'ACCEPTED',
       case when b = :batches then 20.00 - 10.00 * :split else 0.00 end
  from generate_series(0, :batches) b
union all
select md5('chain-bb-second-' || b)::uuid, 'BB-C' || b, 1700000000000 + b * 86400000::bigint + 7300000, 1700000000000 + b * 86400000::bigint + 7370000,
       'WH-B', 0.50, 10.50, 'ACCEPTED', case when b >= :batches - 1 then 10.00 else 0.00 end
  from generate_series(1, :batches) b where :split = 1;
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select md5('chain-bb' || b)::uuid, 'B-C' || (b + 1), 1700000000000 + (b + 1) * 86400000::bigint + 3600000,
       case when :split = 1 and b > 0 then 10.00 else 20.00 end
  from generate_series(0, :batches - 1) b
union all
select md5('chain-bb-second-' || b)::uuid, 'B-C' || (b + 2), 1700000000000 + (b + 2) * 86400000::bigint + 3600000, 10.00
  from generate_series(1, :batches - 2) b where :split = 1;
insert into blendsheet_mix_blendbalance (blendsheet_no, item_code, created_ts, weight)
select 'BS-CHAIN', 'BB-C' || b, 1700000000000 + b * 86400000::bigint + 7300000, 20.00
  from generate_series(0, :batches - 1) b;

-- The loop: the batch after :cycle_at leaves a second, 5 kg balance that goes back into batch :cycle_at.
insert into blendsheet_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('chain-loop' || b)::uuid, 'B-C' || (b + 1), 1700000000000 + (b + 1) * 86400000::bigint + 3600000,
       1700000000000 + (b + 1) * 86400000::bigint + 7400000, 'WH-B', 1.00, 6.00, 'ACCEPTED', 5.00
  from generate_series(1, :batches) b where b = :cycle_at and b < :batches;
insert into blendbalance (item_code, created_ts, blend_code, weight, transfer_id)
select 'BBX-C' || b, 1700000000000 + (b + 1) * 86400000::bigint + 7500000, 'BLD-CHAIN', 5.00, md5('chain-loop' || b)::uuid::text
  from generate_series(1, :batches) b where b = :cycle_at and b < :batches;
insert into blendbalance_record (barcode, item_code, created_ts, received_ts, store_location, bag_weight, gross_weight, status, remaining)
select md5('chain-bbx' || b)::uuid, 'BBX-C' || b, 1700000000000 + (b + 1) * 86400000::bigint + 7500000,
       1700000000000 + (b + 1) * 86400000::bigint + 7560000, 'WH-B', 0.50, 5.50, 'ACCEPTED', 0.00
  from generate_series(1, :batches) b where b = :cycle_at and b < :batches;
insert into blendbalance_allocate_blendsheet (barcode, item_code, created_ts, amount)
select md5('chain-bbx' || b)::uuid, 'B-C' || b, 1700000000000 + b * 86400000::bigint + 3600000, 5.00
  from generate_series(1, :batches) b where b = :cycle_at and b < :batches;

set session_replication_role = origin;
analyze;
