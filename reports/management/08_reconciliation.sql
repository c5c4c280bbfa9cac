-- Reconciliation: every open finding of the build (the facts hold only what is still wrong), errors first,
-- then the newest first, by the time of the bag, batch or shipment it concerns (else the data's time).
with findings as (
    select * from facts.finding
),
build as (
    select data_as_of from facts.build
)
select f.severity, f.check_name, coalesce(f.occurred_at, b.data_as_of), f.keys, f.message, f.amount_kg, f.expected_kg,
       f.amount_kg - f.expected_kg
  from findings f
  cross join build b
 order by f.severity = 'error' desc, coalesce(f.occurred_at, b.data_as_of) desc, f.check_name, f.keys
