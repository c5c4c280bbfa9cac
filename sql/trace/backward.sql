-- Backward trace: every root lot of the chosen shipments with garden, grade, invoice, broker, purchase order,
-- kilograms, share of the shipment and path; `untraced` for what reaches no lot.
-- Inputs: facts.trace_shipments ($1 request, $2 shipment, $3 order), facts.shipment_attribution,
-- facts.shipment, snapshot.tealine. Output: TraceQuery.backwardColumns, as text.
-- Rule: a shipment's rows add up to what is allocated to it (attributed plus untraced); largest first.

with chosen as (
    select * from facts.trace_shipments($1, $2, $3)
),

allocated as (
    select a.request_code, a.shipment_code, sum(a.kg) as kg
      from facts.shipment_attribution a
      join chosen using (request_code, shipment_code)
     group by a.request_code, a.shipment_code
)

select a.request_code::text, a.shipment_code::text, sh.order_code, a.root_kind, a.root_code,
       to_char(to_timestamp(a.root_ts / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       t.garden, t.grade, t.invoice_no, t.broker, t.purchase_order,
       to_char(round(a.kg, 2), 'FM999999999990.00'),
       to_char(round(a.kg / nullif(al.kg, 0) * 100, 2), 'FM990.00'), a.path
  from facts.shipment_attribution a
  join allocated al using (request_code, shipment_code)
  left join facts.shipment sh using (request_code, shipment_code)
  left join snapshot.tealine t on a.root_kind = 'tealine' and t.item_code = a.root_code and t.created_ts = a.root_ts
 order by a.request_code, a.shipment_code, a.root_kind in ('small', 'untraced'), a.root_kind = 'untraced', a.kg desc, a.root_code
