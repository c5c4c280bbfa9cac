-- Orders: fulfilment per order code (DOMAIN.md: plan requirement, requested, scheduled, completed, allocated,
-- dispatched, last dispatch, on time, latest status). Late orders first, then by order code.
with fulfilment as (
    select * from facts.order_fulfilment
),
labelled as (
    select *,
           case when not has_plan then 'no plan'
                when last_dispatched_at is null then 'not dispatched'
                when on_time then 'on time'
                else 'late' end as timeliness
      from fulfilment
)
select order_code, product_name, plan_requirement_kg, plan_start, plan_end, requested_kg, scheduled_kg, completed_kg,
       allocated_kg, dispatched_kg, shipments, shipments_dispatched, last_dispatched_at, timeliness, latest_status
  from labelled
 order by timeliness = 'late' desc, order_code
