-- Orders: fulfilment per order code (DOMAIN.md) for the orders due or dispatched in the detail period
-- (mtp.period_start .. mtp.report_date) and every order still open (nothing dispatched yet). Timeliness as of
-- the report date: overdue, late, open, on time, no plan. Most urgent first, then by plan end.
with fulfilment as (
    select * from facts.order_fulfilment
),
timeliness as (
    select * from facts.report_order
),
params as (
    select period_start as first_day, report_date as last_day, ends_at from facts.report_period
),
labelled as (
    select f.*, case when f.has_plan then t.last_dispatched_at
                     when f.last_dispatched_at < p.ends_at then f.last_dispatched_at
                end as dispatched_by_report_date,
           case when not f.has_plan then 'no plan' else t.timeliness end as timeliness
      from fulfilment f
      cross join params p
      left join timeliness t using (order_code)
),
chosen as (
    select l.*
      from labelled l
      cross join params p
     where l.plan_end between p.first_day and p.last_day
        or (l.dispatched_by_report_date >= p.first_day::timestamptz)
        or l.dispatched_by_report_date is null
)
select order_code, product_name, plan_requirement_kg, plan_start, plan_end, requested_kg, scheduled_kg, completed_kg,
       allocated_kg, dispatched_kg, shipments, shipments_dispatched, last_dispatched_at, timeliness, latest_status
  from chosen
 order by case timeliness when 'overdue' then 1 when 'late' then 2 when 'no plan' then 3 when 'open' then 4 else 5 end,
          plan_end, order_code
