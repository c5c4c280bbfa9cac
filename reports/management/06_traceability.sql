-- Traceability: every shipment's root lots with kg (the backward attribution of the whole snapshot); what
-- reaches no lot is the shipment's 'untraced' row.
with attribution as (
    select * from facts.shipment_attribution
),
allocated as (
    select request_code, shipment_code, sum(kg) as kg from attribution group by request_code, shipment_code
)
select a.request_code, a.shipment_code, s.order_code, s.product_name, s.dispatched_at, a.root_kind, a.root_code,
       to_timestamp(a.root_ts / 1000.0), t.garden, t.grade, a.kg, a.kg / nullif(al.kg, 0), a.path
  from attribution a
  join allocated al using (request_code, shipment_code)
  left join facts.shipment s using (request_code, shipment_code)
  left join snapshot.tealine t on a.root_kind = 'tealine' and t.item_code = a.root_code and t.created_ts = a.root_ts
 order by a.request_code, a.shipment_code, a.root_kind = 'untraced', a.kg desc, a.root_code
