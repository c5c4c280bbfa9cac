-- Reconciliation: every finding of the build, errors before warnings, each check's rows together.
with findings as (
    select * from facts.finding
)
select severity, check_name, keys, message, amount_kg, expected_kg, amount_kg - expected_kg
  from findings
 order by severity = 'error' desc, check_name, keys
