-- A day's late correction to Central (after central.sql, only when a day is added to a live Central): the batch
-- of a week ago (72 units a day) had one tealine bag's allocation weighed 1 kg heavy; Central corrects the
-- amount in place, with the batch's old time stamps. Every share and yield of that batch changes, and through
-- its balance every batch downstream of it.
update tealine_allocate_blendsheet
   set amount = amount - 1
 where barcode = pg_temp.uid('t:TL-' || lpad(greatest(current_setting('mtp.first_unit')::int - 7 * 72, 1)::text, 6, '0') || 'A:1')
   and item_code = 'B-' || lpad(greatest(current_setting('mtp.first_unit')::int - 7 * 72, 1)::text, 6, '0');
