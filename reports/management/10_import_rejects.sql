-- Import rejects: every rejected planning row of the latest import of each file, with its reason; then every
-- entry of an inbox that is no planning file (a folder, a FIFO, a link...) seen in the detail period, which the
-- imports never open.
with latest_imports as (
    select distinct on (file_name) import_id from mtp.plan_import order by file_name, import_id desc
),
rejects as (
    select * from mtp.plan_reject where import_id in (select import_id from latest_imports)
),
params as (
    select starts_at, ends_at from facts.report_period
),
skipped as (
    select s.path, s.kind, s.first_seen
      from mtp.inbox_skip s
     cross join params p
     where s.last_seen >= p.starts_at and s.last_seen < p.ends_at
)
select file_name, source_line, import_id, order_code, product_name, requirement, plan_start, plan_end, reason
  from (
    select file_name, source_line, import_id, order_code, product_name, requirement, plan_start, plan_end, reason, 0 as part
      from rejects
    union all
    select path, null, null, null, null, null, null, null,
           kind || ' in the inbox, not a planning file: never opened (remove it or replace it by the file); seen since '
           || to_char(first_seen, 'YYYY-MM-DD HH24:MI'), 1
      from skipped
  ) listed
 order by part, file_name, source_line
