-- Receiving per tealine lot: bags and kg expected from the lot against the bags scanned in, for the lots
-- created or received in the detail period (mtp.period_start .. mtp.report_date) and every lot still short of
-- its bags. Newest first.
with lots as (
    select * from facts.receiving
),
params as (
    select starts_at, ends_at from facts.report_period
),
chosen as (
    select l.*
      from lots l
      cross join params p
     where l.created_at < p.ends_at
       and (l.created_at >= p.starts_at or l.first_received_at >= p.starts_at or l.bags_received < l.bags_expected)
)
select item_code, created_at, garden, grade, invoice_no, broker, purchase_order, bags_expected, bags_received,
       expected_kg, received_kg, variance_kg, first_received_at
  from chosen
 order by created_at desc, item_code
