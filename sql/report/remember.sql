-- After a management workbook is in place: remember what it described, as of its report date, for the next
-- one's Changes sheet (migration 0012). A workbook written again for the same day and build replaces its own
-- memory; the one it was compared with stays, every older one goes.
-- Inputs: the report's settings (mtp.report_date, mtp.workbook_file, mtp.compared_report), facts.report_order,
-- facts.report_period, facts.shipment, facts.batch_yield, facts.shipment_attribution, public.order_plan,
-- mtp.finding_history, mtp.fact_build, facts.build.
-- Rule: the state as of the report date (facts.report_period: what had happened by the end of that day).

delete from mtp.report_written
 where report_date = current_setting('mtp.report_date')::date
   and build_id is not distinct from (select max(build_id) from mtp.fact_build);

delete from mtp.report_written
 where report_id <> coalesce(nullif(current_setting('mtp.compared_report'), '')::bigint, -1);

insert into mtp.report_written (report_date, build_id, data_as_of, file)
select current_setting('mtp.report_date')::date, (select max(build_id) from mtp.fact_build), b.data_as_of,
       current_setting('mtp.workbook_file')
  from facts.build b;

insert into mtp.remembered_order (report_id, order_code, timeliness, requirement, plan_start, plan_end)
select (select max(report_id) from mtp.report_written), p.order_code, o.timeliness, p.requirement, p.plan_start, p.plan_end
  from public.order_plan p
  left join facts.report_order o on o.order_code = p.order_code;

insert into mtp.remembered_shipment (report_id, request_code, shipment_code, dispatched)
select (select max(report_id) from mtp.report_written), s.request_code, s.shipment_code,
       coalesce(s.dispatched_at < r.ends_at, false)
  from facts.shipment s
 cross join facts.report_period r;

insert into mtp.remembered_batch (report_id, batch_code, batch_ts, completed, yield_pct)
select (select max(report_id) from mtp.report_written), y.batch_code, y.batch_ts,
       y.completed and coalesce(y.completed_at < r.ends_at, false), y.yield_pct
  from facts.batch_yield y
 cross join facts.report_period r;

insert into mtp.remembered_lot_kg (report_id, request_code, shipment_code, root_kind, root_code, root_ts, kg)
select (select max(report_id) from mtp.report_written), a.request_code, a.shipment_code, a.root_kind, a.root_code, a.root_ts, sum(a.kg)
  from facts.shipment_attribution a
 where a.root_kind in ('tealine', 'blendbalance')
 group by a.request_code, a.shipment_code, a.root_kind, a.root_code, a.root_ts;

insert into mtp.remembered_finding (report_id, check_name, keys)
select (select max(report_id) from mtp.report_written), h.check_name, h.keys
  from mtp.finding_history h
 where h.resolved_build is null;
