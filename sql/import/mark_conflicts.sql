-- Rejects the import's ($1) conflicting duplicates: rows of one order code that differ are all rejected, the
-- reason naming their lines; identical repeats are left for the grouped upsert to count once. Two cheap passes:
-- codes first, then only their lines.
-- Inputs and output: public.order_plan_raw (reject_reason).

with staged as (
    select source_line, coalesce(n_order_code, order_code) as n_order_code,
           coalesce(n_product_name, product_name) as n_product_name, n_requirement, n_plan_start, n_plan_end
      from public.order_plan_raw
     where import_id = $1 and reject_reason is null
),

conflicting_codes as (
    select n_order_code
      from staged
     group by n_order_code
    having count(*) > 1
       and (min(n_product_name) <> max(n_product_name) or min(n_requirement) <> max(n_requirement)
            or min(n_plan_start) <> max(n_plan_start) or min(n_plan_end) <> max(n_plan_end))
),

conflict_lines as (
    select staged.n_order_code, string_agg(staged.source_line::text, ', ' order by staged.source_line) as lines
      from staged
      join conflicting_codes using (n_order_code)
     group by staged.n_order_code
)

update public.order_plan_raw as raw
   set reject_reason = 'order_code ' || conflict_lines.n_order_code || ' appears on lines '
                       || conflict_lines.lines || ' with different values'
  from conflict_lines
 where raw.import_id = $1 and raw.reject_reason is null
   and coalesce(raw.n_order_code, raw.order_code) = conflict_lines.n_order_code
