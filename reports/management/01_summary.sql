-- Summary: every key figure for the report date's day, the ISO week and the month to date, the last 28 days and
-- the 28 days before them, with the change between the last two. Facts are put into days of the report's time
-- zone by their own time stamps (facts.report_day; DOMAIN.md, "Periods"). The first two rows state each
-- period's first and last day, after the data's age (and a stale warning). Settings (set by the report stage):
-- mtp.report_date, mtp.week_start, mtp.month_start, mtp.last28_start, mtp.previous_start, mtp.previous_end,
-- mtp.data_age, mtp.stale_warning.
with params as (
    select report_date from facts.report_period
),
periods (period, first_day, last_day) as (
    select 1, p.report_date, p.report_date from params p
    union all select 2, current_setting('mtp.week_start')::date, p.report_date from params p
    union all select 3, current_setting('mtp.month_start')::date, p.report_date from params p
    union all select 4, current_setting('mtp.last28_start')::date, p.report_date from params p
    union all select 5, current_setting('mtp.previous_start')::date, current_setting('mtp.previous_end')::date
),
days as (
    select * from facts.report_day
),
per_period as (
    select p.period, p.first_day, p.last_day,
           sum(d.received_kg) as received_kg, sum(d.lots_received) as lots_received, sum(d.bags_received) as bags_received,
           sum(d.output_kg) as output_kg, sum(d.batches_completed) as batches_completed,
           sum(d.completed_output_kg) / nullif(sum(d.completed_input_kg), 0) as yield,
           sum(d.batches_poor_or_error) as batches_poor_or_error,
           sum(d.shipments_dispatched) as shipments_dispatched, sum(d.dispatched_kg) as dispatched_kg,
           sum(d.orders_due) as orders_due, sum(d.orders_on_time)::numeric / nullif(sum(d.orders_due), 0) as on_time_share,
           sum(d.orders_late) as orders_late,
           -- a state, not a sum: the count at the end of the period's last day
           sum(d.open_past_plan_end) filter (where d.day = p.last_day) as open_past_plan_end,
           sum(d.findings_error) as findings_error, sum(d.findings_warning) as findings_warning,
           sum(d.rows_rejected) as rows_rejected
      from periods p
      join days d on d.day between p.first_day and p.last_day
     group by p.period, p.first_day, p.last_day
),
findings_by_period as (
    -- The findings' memory (mtp.finding_history), by the data's time of the builds that saw them: new in the
    -- period, resolved in it, and open at the end of its last day.
    select p.period,
           count(*) filter (where h.first_data_at::date between p.first_day and p.last_day) as findings_new,
           count(*) filter (where h.resolved_data_at::date between p.first_day and p.last_day) as findings_resolved,
           count(*) filter (where h.first_data_at::date <= p.last_day
                              and (h.resolved_data_at is null or h.resolved_data_at::date > p.last_day)) as findings_open
      from periods p
     cross join mtp.finding_history h
     group by p.period
),
figures (position, measure, note, kind, period, value) as (
    select 3, 'Tealine received (kg)', 'net kg of tealine bags received', 'decimal', period, received_kg from per_period
    union all select 4, 'Tealine lots received', 'lots by the day they were created', 'integer', period, lots_received from per_period
    union all select 5, 'Tealine bags received', 'bags scanned in', 'integer', period, bags_received from per_period
    union all select 6, 'Blend output (kg)', 'net kg of blend bags made', 'decimal', period, output_kg from per_period
    union all select 7, 'Batches completed', 'on the day of their last output bag', 'integer', period, batches_completed from per_period
    union all select 8, 'Yield of completed batches', 'their output over their input (a change in points)', 'percent', period, yield from per_period
    union all select 9, 'Batches rated Poor or Data error', 'below 75 %, or above 100 %', 'integer', period, batches_poor_or_error from per_period
    union all select 10, 'Shipments dispatched', 'by their SHIPMENT_DISPATCHED event', 'integer', period, shipments_dispatched from per_period
    union all select 11, 'Dispatched (kg)', 'allocated to the shipments dispatched', 'decimal', period, dispatched_kg from per_period
    union all select 12, 'Orders due', 'plan end in the period', 'integer', period, orders_due from per_period
    union all select 13, 'Orders due: on time', 'share dispatched by their plan end (a change in points)', 'percent', period, on_time_share from per_period
    union all select 14, 'Orders due: late', 'dispatched after plan end, or nothing dispatched and plan end passed', 'integer', period, orders_late from per_period
    union all select 15, 'Open orders past plan end', 'nothing dispatched, at the end of the period', 'integer', period, open_past_plan_end from per_period
    union all select 16, 'Findings: errors', 'dated by the bag, batch or shipment concerned; see Reconciliation', 'integer', period, findings_error from per_period
    union all select 17, 'Findings: warnings', 'dated like errors; see Reconciliation', 'integer', period, findings_warning from per_period
    union all select 18, 'Planning rows rejected', 'in planning files received in the period; see Import rejects', 'integer', period, rows_rejected from per_period
    union all select 19, 'Findings new', 'first seen by a build of the period (by its data''s time)', 'integer', period, findings_new from findings_by_period
    union all select 20, 'Findings resolved', 'no longer seen by a build of the period', 'integer', period, findings_resolved from findings_by_period
    union all select 21, 'Findings open', 'at the end of the period; see Reconciliation for how long each', 'integer', period, findings_open from findings_by_period
),
measures as (
    select position, measure, note, kind,
           max(value) filter (where period = 1) as day, max(value) filter (where period = 2) as week,
           max(value) filter (where period = 3) as month, max(value) filter (where period = 4) as last28,
           max(value) filter (where period = 5) as previous28
      from figures
     group by position, measure, note, kind
),
dates as (
    select 1 as position, 'From' as measure,
           max(first_day::text) filter (where period = 1) as day, max(first_day::text) filter (where period = 2) as week,
           max(first_day::text) filter (where period = 3) as month, max(first_day::text) filter (where period = 4) as last28,
           max(first_day::text) filter (where period = 5) as previous28
      from periods
    union all
    select 2, 'To',
           max(last_day::text) filter (where period = 1), max(last_day::text) filter (where period = 2),
           max(last_day::text) filter (where period = 3), max(last_day::text) filter (where period = 4),
           max(last_day::text) filter (where period = 5)
      from periods
),
changes as (
    -- What changed since the workbook before (facts.report_changes; the Changes sheet lists them).
    select sum(n) filter (where kind_order between 1 and 8) as total,
           string_agg(n || ' ' || change, ', ' order by kind_order) filter (where kind_order between 1 and 8) as kinds,
           max(note) filter (where kind_order = 0) as first
      from (select kind_order, change, count(*) as n, max(note) as note from facts.report_changes() group by kind_order, change) c
),
freshness (position, measure, text) as (
    -- First, how old the data is (DataAge: the newest bag scanned, batch output made and dispatch against the
    -- report's time) and, past --warn-data-age, a warning the reader cannot miss.
    select -1, 'STALE DATA', current_setting('mtp.stale_warning') where current_setting('mtp.stale_warning') <> ''
    union all
    select 0, 'Data', current_setting('mtp.data_age')
),
rows (position, measure, day, week, month, last28, previous28, change, change_pct, note, kind, change_kind) as (
    select position, measure, text, null, null, null, null, null, null::numeric, null, 'text', 'text'
      from freshness
    union all
    select 22, 'Changes since the last workbook', coalesce(total, 0)::text, null, null, null, null, null, null::numeric,
           coalesce(first, 'since the workbook of ' || current_setting('mtp.compared_date') || ': ' || coalesce(kinds, 'none')),
           'integer', 'text'
      from changes
    union all
    select position, measure, day, week, month, last28, previous28, null, null::numeric,
           case position when 1 then 'first day of each period' else 'last day' end, 'date', 'text'
      from dates
    union all
    select position, measure, day::text, week::text, month::text, last28::text, previous28::text,
           (last28 - previous28)::text,
           case when kind <> 'percent' and previous28 <> 0 then (last28 - previous28) / previous28 end,
           note, kind, kind
      from measures
)
select measure, day, week, month, last28, previous28, change, change_pct, note, kind, change_kind
  from rows
 order by position
