-- Contacts: one row per affected order, for the people who will phone customers: its shipments, the kg of this
-- trace in them, dispatched and not (those can still be stopped), vehicles, dispatch times and the latest
-- status. In order of dispatch, the ones not dispatched last.
with shipments as (
    select t.request_code, t.shipment_code, t.kg, s.order_code, s.product_name, s.dispatched_at, s.shipment_vehicle,
           s.latest_status, s.latest_event_at
      from trace_shipment t
      left join facts.shipment s on s.request_code = t.request_code and s.shipment_code = t.shipment_code
),
orders as (
    select coalesce(order_code, 'not in Manager (request ' || request_code || ')') as order_code, min(product_name) as product_name,
           string_agg(request_code || '/' || shipment_code, ', ' order by request_code, shipment_code) as shipments,
           sum(kg) as kg, coalesce(sum(kg) filter (where dispatched_at is not null), 0) as dispatched_kg,
           coalesce(sum(kg) filter (where dispatched_at is null), 0) as open_kg,
           string_agg(distinct shipment_vehicle, ', ') as vehicles, min(dispatched_at) as first_dispatched_at,
           max(dispatched_at) as last_dispatched_at,
           (array_agg(latest_status order by latest_event_at desc nulls last, request_code desc, shipment_code desc))[1] as latest_status
      from shipments
     group by 1
)
select order_code, product_name, shipments, kg, dispatched_kg, open_kg, vehicles, first_dispatched_at, last_dispatched_at, latest_status
  from orders
 order by first_dispatched_at nulls last, order_code
