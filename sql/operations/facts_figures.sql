-- What monitoring reads of the facts: how new the data is and the findings by check and severity.
-- Inputs: facts.build, facts.finding (run only once a build exists). Output: one row per figure: kind
-- 'data_as_of' (value: the newest time stamp in the data, seconds since the Unix epoch) or 'finding' (value: how
-- many findings of that check and severity).

with build as (
    select data_as_of from facts.build
),

findings as (
    select check_name, severity, count(*) as findings
      from facts.finding
     group by check_name, severity
)

select 'data_as_of' as kind, null::text as check_name, null::text as severity,
       extract(epoch from data_as_of)::float8 as value
  from build
union all
select 'finding', check_name, severity, findings::float8
  from findings
 order by kind, check_name, severity
