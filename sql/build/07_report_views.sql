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
       d.last_dispatched_at is null and o.plan_end < p.report_date as overdue
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
