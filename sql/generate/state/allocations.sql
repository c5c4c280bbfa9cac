-- What Central allocates to each of the units' shipments, read by the Manager part (order_shipment.quantity
-- is what is allocated: DOMAIN decision 4). Run on Central after its part; a day copies the rows across.
with shipped as (
    select request_code, shipment_code, amount from blendsheet_allocate_shipment
     where request_code in (select u from unit)
    union all
    select request_code, shipment_code, amount from tealine_allocate_shipment
     where request_code in (select u from unit)
)
select request_code, shipment_code, sum(amount) as kg
  from shipped
 group by request_code, shipment_code
