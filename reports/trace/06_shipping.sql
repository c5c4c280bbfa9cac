-- Shipping: every shipment of the trace with the kg of this trace in it.
with shipments as (
    select request_code, shipment_code, kg from trace_shipment
)
select t.request_code, t.shipment_code, s.order_code, s.product_name, t.kg, s.shipment_vehicle, s.dispatched_at, s.latest_status
  from shipments t
  left join facts.shipment s on s.request_code = t.request_code and s.shipment_code = t.shipment_code
 order by t.request_code, t.shipment_code
