-- When a planning file counts as received: its import, unless the import stood for another moment
-- (`--as-of`, when a history of files is loaded or a day is replayed). Reports date a file's rejected rows by
-- it. A run records the moment it stood for too (null: it ran as itself).
alter table mtp.plan_import add column received_at timestamptz;
update mtp.plan_import set received_at = coalesce(finished_at, started_at);
alter table mtp.plan_import alter column received_at set default clock_timestamp();
alter table mtp.plan_import alter column received_at set not null;

create or replace view mtp.plan_reject as
select r.import_id, i.file_name, r.source_line, r.order_code, r.product_name, r.requirement,
       r.plan_start, r.plan_end, r.extra, r.reject_reason as reason, i.finished_at as imported_at, i.received_at
  from public.order_plan_raw r
  join mtp.plan_import i using (import_id)
 where r.reject_reason is not null;

alter table mtp.run add column as_of timestamptz;
