-- build: full
-- Report marts: views the management workbook reads, evaluated in the report's own session. They put facts
-- into days of the session's time zone (the report's --timezone) and read the report's settings (set by the
-- report stage): mtp.report_date and mtp.trend_start, the first day any period of the workbook needs. A reader
-- who sets neither (a BI tool, an analyst) gets today and the 28 days up to it.
-- DOMAIN.md, "Periods": bags at their received time, a batch at its last output bag, a shipment at its
-- SHIPMENT_DISPATCHED event, an order at its plan end, a finding at the time of its row, a planning reject at
-- its import.

-- The report's days, defined once: the report date, the detail period (mtp.period_start .. the report date) and
-- the trend window (mtp.trend_start .. the report date), from the report's settings; a reader who sets none
-- gets today and the 28 days up to it. A fact of the period falls in [starts_at, ends_at), midnights of the
-- session's time zone.
create view facts_next.report_period as
with settings as (
    select coalesce(nullif(current_setting('mtp.report_date', true), '')::date, current_date) as report_date,
           nullif(current_setting('mtp.period_start', true), '')::date as period_start,
           nullif(current_setting('mtp.trend_start', true), '')::date as trend_start
)
select report_date,
       coalesce(period_start, report_date - 27) as period_start,
       coalesce(trend_start, report_date - 27) as trend_start,
       coalesce(period_start, report_date - 27)::timestamptz as starts_at,
       (report_date + 1)::timestamptz as ends_at
  from settings;

-- Every planned order as of the report date: dispatches after that day are not known yet.
create view facts_next.report_order as
with params as (
    select report_date from facts_next.report_period
),
dispatches as (
    select s.order_code, min(s.dispatched_at) as first_dispatched_at, max(s.dispatched_at) as last_dispatched_at
      from facts_next.shipment s
      cross join params p
     where s.dispatched_at < (p.report_date + 1)::timestamptz
     group by s.order_code
)
select o.order_code, o.plan_start, o.plan_end, d.first_dispatched_at, d.last_dispatched_at,
       -- on time: the last dispatch on or before the plan end's day; late: after it, or nothing dispatched
       -- although the plan end has passed (overdue).
       coalesce(d.last_dispatched_at < (o.plan_end + 1)::timestamptz, false) as on_time,
       case when d.last_dispatched_at is null then o.plan_end < p.report_date
            else d.last_dispatched_at >= (o.plan_end + 1)::timestamptz end as late,
       d.last_dispatched_at is null and o.plan_end < p.report_date as overdue,
       -- The label the Orders and Changes sheets show (the rule, once).
       case when d.last_dispatched_at is null and o.plan_end < p.report_date then 'overdue'
            when d.last_dispatched_at >= (o.plan_end + 1)::timestamptz then 'late'
            when d.last_dispatched_at is null then 'open'
            else 'on time' end as timeliness
  from facts_next.order_fulfilment o
  cross join params p
  left join dispatches d on d.order_code = o.order_code
 where o.has_plan;

-- One row per day from mtp.trend_start to mtp.report_date, every day present (zeros where nothing happened).
create view facts_next.report_day as
with params as (
    select trend_start as first_day, report_date as last_day from facts_next.report_period
),
bounds as (
    select first_day, last_day, first_day::timestamptz as starts_at, (last_day + 1)::timestamptz as ends_at from params
),
days as (
    select d::date as day from bounds b, generate_series(b.first_day, b.last_day, interval '1 day') d
),
bags as (
    select r.received_at::date as day,
           sum(r.net_kg) filter (where r.record_kind = 'tealine') as received_kg,
           count(*) filter (where r.record_kind = 'tealine') as bags_received,
           sum(r.net_kg) filter (where r.record_kind = 'blendsheet') as output_kg
      from facts_next.record r
      cross join bounds b
     where r.received_at >= b.starts_at and r.received_at < b.ends_at and r.record_kind in ('tealine', 'blendsheet')
     group by 1
),
lots as (
    select l.created_at::date as day, count(*) as lots_received
      from facts_next.receiving l
      cross join bounds b
     where l.created_at >= b.starts_at and l.created_at < b.ends_at
     group by 1
),
batches as (
    select y.completed_at::date as day, count(*) as batches_completed, sum(y.input_kg) as completed_input_kg,
           sum(y.output_kg) as completed_output_kg,
           count(*) filter (where y.rating in ('Poor', 'Data error')) as batches_poor_or_error
      from facts_next.batch_yield y
      cross join bounds b
     where y.completed_at >= b.starts_at and y.completed_at < b.ends_at
     group by 1
),
dispatch as (
    select s.dispatched_at::date as day, count(*) as shipments_dispatched, sum(s.allocated_kg) as dispatched_kg
      from facts_next.shipment s
      cross join bounds b
     where s.dispatched_at >= b.starts_at and s.dispatched_at < b.ends_at
     group by 1
),
due as (
    select o.plan_end as day, count(*) as orders_due, count(*) filter (where o.on_time) as orders_on_time,
           count(*) filter (where o.late) as orders_late
      from facts_next.report_order o
      cross join bounds b
     where o.plan_end between b.first_day and b.last_day
     group by 1
),
open_past_end as (
    -- At the end of each day: orders whose plan end is before that day with nothing dispatched by then.
    select d.day, count(*) as open_past_plan_end
      from days d
      join facts_next.report_order o
        on o.plan_end < d.day and (o.first_dispatched_at is null or o.first_dispatched_at >= (d.day + 1)::timestamptz)
     group by d.day
),
findings as (
    select coalesce(f.occurred_at, x.data_as_of)::date as day,
           count(*) filter (where f.severity = 'error') as findings_error,
           count(*) filter (where f.severity = 'warning') as findings_warning
      from facts_next.finding f
      cross join facts_next.build x
      cross join bounds b
     where coalesce(f.occurred_at, x.data_as_of) >= b.starts_at and coalesce(f.occurred_at, x.data_as_of) < b.ends_at
     group by 1
),
rejects as (
    select r.received_at::date as day, count(*) as rows_rejected
      from mtp.plan_reject r
      cross join bounds b
     where r.received_at >= b.starts_at and r.received_at < b.ends_at
     group by 1
)
select d.day,
       coalesce(g.received_kg, 0) as received_kg, coalesce(g.bags_received, 0) as bags_received,
       coalesce(l.lots_received, 0) as lots_received, coalesce(g.output_kg, 0) as output_kg,
       coalesce(y.batches_completed, 0) as batches_completed, coalesce(y.completed_input_kg, 0) as completed_input_kg,
       coalesce(y.completed_output_kg, 0) as completed_output_kg, coalesce(y.batches_poor_or_error, 0) as batches_poor_or_error,
       coalesce(s.shipments_dispatched, 0) as shipments_dispatched, coalesce(s.dispatched_kg, 0) as dispatched_kg,
       coalesce(o.orders_due, 0) as orders_due, coalesce(o.orders_on_time, 0) as orders_on_time,
       coalesce(o.orders_late, 0) as orders_late, coalesce(p.open_past_plan_end, 0) as open_past_plan_end,
       coalesce(f.findings_error, 0) as findings_error, coalesce(f.findings_warning, 0) as findings_warning,
       coalesce(r.rows_rejected, 0) as rows_rejected
  from days d
  left join bags g on g.day = d.day
  left join lots l on l.day = d.day
  left join batches y on y.day = d.day
  left join dispatch s on s.day = d.day
  left join due o on o.day = d.day
  left join open_past_end p on p.day = d.day
  left join findings f on f.day = d.day
  left join rejects r on r.day = d.day;

-- What changed since the workbook before this one (the report's mtp.compared_report), as of the report date,
-- one row per change (reports/management/02_changes.sql lists them, the Summary counts them): orders newly late
-- or overdue, shipments newly dispatched, plan revisions (from which file), batches completed, yields restated
-- by 0.1 points or more, the kilograms of a lot in a shipment restated by 0.005 kg or more (what a recall
-- reads), findings new and resolved; for a first workbook one row saying there is nothing to compare with.
-- Inputs: the memory of that workbook (mtp.remembered_*, migration 0012), facts.report_order, report_period,
-- shipment, batch_yield, shipment_attribution, build, public.order_plan, order_plan_raw, mtp.plan_import,
-- mtp.finding_history.
set local check_function_bodies = off;
create function facts_next.report_changes()
returns table (kind_order int, change text, key text, old text, new text, at timestamptz, note text)
language sql stable as $fn$
with compared as (
    select report_id, report_date, data_as_of from mtp.report_written
     where report_id = nullif(current_setting('mtp.compared_report'), '')::bigint
),
params as (
    select ends_at from facts.report_period
),
build as (
    select data_as_of from facts.build
),
orders as (
    select o.order_code, o.timeliness, o.plan_end, o.last_dispatched_at from facts.report_order o
),
shipments as (
    select s.request_code, s.shipment_code, s.order_code, s.dispatched_at, s.allocated_kg
      from facts.shipment s cross join params p
     where s.dispatched_at < p.ends_at
),
batches as (
    select y.batch_code, y.batch_ts, y.completed and coalesce(y.completed_at < p.ends_at, false) as completed, y.completed_at, y.yield_pct
      from facts.batch_yield y cross join params p
),
lots as (
    select request_code, shipment_code, root_kind, root_code, root_ts, sum(kg) as kg
      from facts.shipment_attribution
     where root_kind in ('tealine', 'blendbalance')
     group by request_code, shipment_code, root_kind, root_code, root_ts
),
plan_files as (
    -- The file each order's plan last came from: the latest import that accepted a row of it.
    select distinct on (coalesce(r.n_order_code, r.order_code)) coalesce(r.n_order_code, r.order_code) as order_code,
           i.file_name, i.received_at
      from public.order_plan_raw r
      join mtp.plan_import i on i.import_id = r.import_id
     where r.reject_reason is null
     order by coalesce(r.n_order_code, r.order_code), r.import_id desc
),
changes (kind_order, change, key, old, new, at, note) as (
    select 1, 'order newly ' || o.timeliness, o.order_code, coalesce(m.timeliness, 'not planned'), o.timeliness,
           case when o.timeliness = 'overdue' then (o.plan_end + 1)::timestamptz else o.last_dispatched_at end,
           'plan end ' || o.plan_end
      from orders o
      join compared c on true
      left join mtp.remembered_order m on m.report_id = c.report_id and m.order_code = o.order_code
     where o.timeliness in ('late', 'overdue') and m.timeliness is distinct from o.timeliness
    union all
    select 2, 'shipment dispatched', s.request_code || '/' || s.shipment_code, 'not dispatched', 'dispatched', s.dispatched_at,
           coalesce('order ' || s.order_code, 'not in Manager') || ', ' || to_char(s.allocated_kg, 'FM999G999G990.00') || ' kg'
      from shipments s
      join compared c on true
      left join mtp.remembered_shipment m on m.report_id = c.report_id and m.request_code = s.request_code and m.shipment_code = s.shipment_code
     where not coalesce(m.dispatched, false)
    union all
    select 3, 'plan revised', p.order_code,
           m.requirement || ' kg, ' || m.plan_start || ' to ' || m.plan_end, p.requirement || ' kg, ' || p.plan_start || ' to ' || p.plan_end,
           f.received_at, coalesce('from ' || f.file_name, '')
      from public.order_plan p
      join compared c on true
      join mtp.remembered_order m on m.report_id = c.report_id and m.order_code = p.order_code
      left join plan_files f on f.order_code = p.order_code
     where (m.requirement, m.plan_start, m.plan_end) is distinct from (p.requirement, p.plan_start, p.plan_end)
    union all
    select 4, 'batch completed', b.batch_code, 'in progress', to_char(b.yield_pct, 'FM990.00') || ' % yield', b.completed_at, ''
      from batches b
      join compared c on true
      left join mtp.remembered_batch m on m.report_id = c.report_id and m.batch_code = b.batch_code and m.batch_ts = b.batch_ts
     where b.completed and not coalesce(m.completed, false)
    union all
    select 5, 'yield restated', b.batch_code, to_char(m.yield_pct, 'FM990.00') || ' %', to_char(b.yield_pct, 'FM990.00') || ' %',
           (select data_as_of from build), 'a change of ' || to_char(b.yield_pct - m.yield_pct, 'FMS990.00') || ' points after it was reported'
      from batches b
      join compared c on true
      join mtp.remembered_batch m on m.report_id = c.report_id and m.batch_code = b.batch_code and m.batch_ts = b.batch_ts
     where m.completed and b.completed and abs(b.yield_pct - m.yield_pct) >= 0.1
    union all
    select 6, 'lot kg in shipment restated', coalesce(l.root_code, m.root_code) || ' in ' || coalesce(l.request_code, m.request_code)
           || '/' || coalesce(l.shipment_code, m.shipment_code),
           to_char(coalesce(m.kg, 0), 'FM999G999G990.00') || ' kg', to_char(coalesce(l.kg, 0), 'FM999G999G990.00') || ' kg',
           (select data_as_of from build), 'what a recall of the lot reads'
      from lots l
      join compared c on true
      full join (select * from mtp.remembered_lot_kg where report_id = (select report_id from compared)) m
        on m.request_code = l.request_code and m.shipment_code = l.shipment_code and m.root_kind = l.root_kind
       and m.root_code = l.root_code and m.root_ts = l.root_ts
     where abs(coalesce(l.kg, 0) - coalesce(m.kg, 0)) >= 0.005
       and exists (select 1 from mtp.remembered_shipment s where s.report_id = (select report_id from compared)
                     and s.request_code = coalesce(l.request_code, m.request_code) and s.shipment_code = coalesce(l.shipment_code, m.shipment_code))
    union all
    select 7, 'finding new', h.check_name || ': ' || h.keys, '', h.message, h.open_since, h.severity
      from mtp.finding_history h
      join compared c on true
     where h.resolved_build is null
       and not exists (select 1 from mtp.remembered_finding m where m.report_id = c.report_id and m.check_name = h.check_name and m.keys = h.keys)
    union all
    select 8, 'finding resolved', h.check_name || ': ' || h.keys, h.message, '', h.resolved_data_at, h.severity
      from mtp.finding_history h
      join compared c on true
      join mtp.remembered_finding m on m.report_id = c.report_id and m.check_name = h.check_name and m.keys = h.keys
     where h.resolved_build is not null
    union all
    select 0, 'nothing to compare with', '', '', '', null::timestamptz, 'the first workbook: the next one lists what changed since this one'
     where not exists (select 1 from compared)
)
select kind_order, change, key, old, new, at, note from changes
$fn$;
