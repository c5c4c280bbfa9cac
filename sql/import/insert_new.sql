-- A file of new plans: the import's ($1) accepted rows inserted as plans, half the cost of an upsert. A repeated
-- or existing order code makes it fail with 23505, and the upsert decides instead.
-- Inputs: public.order_plan_raw. Output: rows of public.order_plan.
insert into public.order_plan (order_code, product_name, requirement, plan_start, plan_end)
select coalesce(n_order_code, order_code), coalesce(n_product_name, product_name), n_requirement, n_plan_start, n_plan_end
  from public.order_plan_raw
 where import_id = $1 and reject_reason is null
