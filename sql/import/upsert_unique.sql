-- The import's ($1) accepted rows upserted by order code when no code repeats (the common case): PostgreSQL
-- refuses it with SQLSTATE 21000 as soon as one code would be written twice. The staged rows are read once, so
-- the plan streams them instead of materialising a million.
-- Rule (as upsert_grouped.sql): a later import revises an earlier plan, only where something differs; nothing
-- is deleted.
-- Inputs: public.order_plan_raw. Output: the plans inserted and the plans revised.

with upserted as (
    insert into public.order_plan as plan (order_code, product_name, requirement, plan_start, plan_end)
    select coalesce(n_order_code, order_code), coalesce(n_product_name, product_name), n_requirement, n_plan_start, n_plan_end
      from public.order_plan_raw
     where import_id = $1 and reject_reason is null
    on conflict (order_code) do update
       set product_name = excluded.product_name, requirement = excluded.requirement,
           plan_start = excluded.plan_start, plan_end = excluded.plan_end
     where (plan.product_name, plan.requirement, plan.plan_start, plan.plan_end)
           is distinct from (excluded.product_name, excluded.requirement, excluded.plan_start, excluded.plan_end)
    returning (xmax = 0) as inserted
)

select count(*) filter (where inserted), count(*) filter (where not inserted)
  from upserted
