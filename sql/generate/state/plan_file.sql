-- The planning file of a whole state (`mtp-etl generate state` writes it to order_plan_raw/plans.csv): the plans
-- Manager does not have yet, revisions of one plan in twenty, and two rows a planner would get back (an
-- impossible date, a quantity that is not whole). Runs after manager.sql.
create temp table generated_plan_file as
select order_code, product_name, (requirement + case when planned_in = 'manager' then 500 else 0 end)::text as requirement,
       to_char(plan_start, 'YYYY-MM-DD') as plan_start,
       to_char(plan_end, 'YYYY-MM-DD') as plan_end
  from generated_plan
 where planned_in = 'file' or (planned_in = 'manager' and pg_temp.rnd('revise:' || order_code) < 0.05)
union all
select 'ORD-X' || lpad(o::text, 5, '0'), 'Sample tin', '12.5', '2026-02-01', '2026-02-20' from generate_series(1, 1) o
union all
select 'ORD-Y' || lpad(o::text, 5, '0'), 'Sample tin', '100', '2026-02-31', '2026-03-20' from generate_series(1, 1) o;
