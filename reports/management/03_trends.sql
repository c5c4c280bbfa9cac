-- Trends: one row per ISO week (Monday first) for the 12 weeks ending with the report date's week (that week
-- up to the report date), every week present: zeros where nothing happened, no yield or on-time share where
-- there was nothing to divide. With the yield ratings' thresholds (facts.yield_rating) for the chart.
-- Settings: mtp.trend_start (the Monday 11 weeks before the report date's week), mtp.week_start.
with weeks as (
    select w::date as week_start
      from generate_series(current_setting('mtp.trend_start')::date, current_setting('mtp.week_start')::date, interval '7 days') w
),
days as (
    select * from facts.report_day
),
weekly as (
    select w.week_start,
           sum(d.received_kg) as received_kg, sum(d.output_kg) as output_kg,
           sum(d.completed_output_kg) / nullif(sum(d.completed_input_kg), 0) as yield,
           sum(d.batches_completed) as batches_completed,
           sum(d.dispatched_kg) as dispatched_kg, sum(d.shipments_dispatched) as shipments_dispatched,
           sum(d.orders_due) as orders_due, sum(d.orders_on_time)::numeric / nullif(sum(d.orders_due), 0) as on_time_share,
           sum(d.findings_error) + sum(d.findings_warning) as new_findings
      from weeks w
      join days d on d.day >= w.week_start and d.day < w.week_start + 7
     group by w.week_start
),
thresholds as (
    select max(lower(yield_range)) filter (where rating = 'Excellent') / 100 as excellent_from,
           max(lower(yield_range)) filter (where rating = 'Good') / 100 as good_from,
           max(lower(yield_range)) filter (where rating = 'Fair') / 100 as fair_from
      from facts.yield_rating
)
select to_char(week_start, '"W"IW') as week, week_start, received_kg, output_kg, batches_completed, yield,
       dispatched_kg, shipments_dispatched, orders_due, on_time_share, new_findings,
       t.excellent_from, t.good_from, t.fair_from
  from weekly
 cross join thresholds t
 order by week_start
