-- The import's ($1) accepted rows upserted by order code, identical repeats counted once (after
-- mark_conflicts.sql rejected the repeats that differ), with what happened.
-- Rule (as upsert_unique.sql): a later import revises an earlier plan, only where something differs; nothing is
-- deleted.
-- Inputs: public.order_plan_raw. Output: plans imported, repeats skipped, plans inserted, plans revised.

with staged as (
    select coalesce(n_order_code, order_code) as n_order_code, coalesce(n_product_name, product_name) as n_product_name,
           n_requirement, n_plan_start, n_plan_end
      from public.order_plan_raw
     where import_id = $1 and reject_reason is null
),

plans as (
    select n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end, count(*) as copies
      from staged
     group by n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end
),

upserted as (
    insert into public.order_plan as plan (order_code, product_name, requirement, plan_start, plan_end)
    select n_order_code, n_product_name, n_requirement, n_plan_start, n_plan_end
      from plans
    on conflict (order_code) do update
       set product_name = excluded.product_name, requirement = excluded.requirement,
           plan_start = excluded.plan_start, plan_end = excluded.plan_end
     where (plan.product_name, plan.requirement, plan.plan_start, plan.plan_end)
           is distinct from (excluded.product_name, excluded.requirement, excluded.plan_start, excluded.plan_end)
    returning (xmax = 0) as inserted
),

plan_counts as (
    select count(*) as imported, coalesce(sum(copies), 0) - count(*) as skipped
      from plans
),

upsert_counts as (
    select count(*) filter (where inserted) as inserted, count(*) filter (where not inserted) as updated
      from upserted
)

select plan_counts.imported, plan_counts.skipped, upsert_counts.inserted, upsert_counts.updated
  from plan_counts
 cross join upsert_counts
