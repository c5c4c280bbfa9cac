-- Receiving per tealine lot: bags and kg expected from the lot against the bags scanned in.
with lots as (
    select * from facts.receiving
)
select item_code, created_at, garden, grade, invoice_no, broker, purchase_order, bags_expected, bags_received,
       expected_kg, received_kg, variance_kg, first_received_at
  from lots
 order by created_at, item_code
