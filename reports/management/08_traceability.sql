-- Traceability: the root lots of every shipment dispatched in the detail period (mtp.period_start ..
-- mtp.report_date) and of every shipment not dispatched by then (allocations to a shipment Manager does not
-- have included), with kg (the backward attribution); what reaches no lot is the shipment's 'untraced' row.
-- Open shipments first, then the newest dispatch.
with attribution as (
    select * from facts.shipment_attribution
),
shipments as (
    select * from facts.shipment
),
params as (
    select starts_at, ends_at from facts.report_period
),
allocated as (
    select request_code, shipment_code, sum(kg) as kg from attribution group by request_code, shipment_code
),
chosen as (
    select al.request_code, al.shipment_code, al.kg,
           case when s.dispatched_at < p.ends_at then s.dispatched_at end as dispatched_at, s.order_code, s.product_name
      from allocated al
      cross join params p
      left join shipments s using (request_code, shipment_code)
     where s.dispatched_at is null or s.dispatched_at >= p.starts_at
)
select a.request_code, a.shipment_code, c.order_code, c.product_name, c.dispatched_at, a.root_kind, a.root_code,
       to_timestamp(a.root_ts / 1000.0), t.garden, t.grade, a.kg, a.kg / nullif(c.kg, 0), a.path
  from attribution a
  join chosen c using (request_code, shipment_code)
  left join snapshot.tealine t on a.root_kind = 'tealine' and t.item_code = a.root_code and t.created_ts = a.root_ts
 order by c.dispatched_at desc nulls first, a.request_code, a.shipment_code, a.root_kind in ('small', 'untraced'), a.root_kind = 'untraced', a.kg desc, a.root_code
