-- Import rejects: every rejected planning row of the latest import of each file, with its reason.
with latest_imports as (
    select distinct on (file_name) import_id from mtp.plan_import order by file_name, import_id desc
),
rejects as (
    select * from mtp.plan_reject where import_id in (select import_id from latest_imports)
)
select file_name, source_line, import_id, order_code, product_name, requirement, plan_start, plan_end, reason
  from rejects
 order by file_name, source_line
