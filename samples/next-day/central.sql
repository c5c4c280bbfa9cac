-- The demo's next day, on Central (applied by `make run` between its two runs, through Central's own rules):
-- a bag of tealine lot TL-261107-1 that went into batch B-261110 on 10 November is scanned into it only now,
-- so the batch's yield and the lots' kilograms in the batch's shipments are restated.
insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount)
select 'c7974c57-17ba-b507-aaa4-76913f2e9b92', b.item_code, b.created_ts, 49.00
  from blendsheet_batch b
 where b.item_code = 'B-261110';
