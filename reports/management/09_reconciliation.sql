-- Reconciliation: every open finding of the build (the facts hold only what is still wrong) with how long it
-- has been open (the findings' memory, mtp.finding_history: since it was first seen, or last reopened, by the
-- data's time), errors first, then the oldest first.
with findings as (
    select * from facts.finding
),
history as (
    select check_name, keys, open_since, reopened from mtp.finding_history
),
build as (
    select data_as_of from facts.build
)
select f.severity, f.check_name, coalesce(f.occurred_at, b.data_as_of), h.open_since,
       floor(extract(epoch from b.data_as_of - h.open_since) / 86400)::int, h.reopened, f.keys, f.message,
       f.amount_kg, f.expected_kg, f.amount_kg - f.expected_kg
  from findings f
  cross join build b
  left join history h on h.check_name = f.check_name and h.keys = f.keys
 order by f.severity = 'error' desc, h.open_since nulls last, coalesce(f.occurred_at, b.data_as_of) desc, f.check_name, f.keys
