-- Backward trace: every root lot of the chosen shipments with garden, grade, invoice, broker, purchase order,
-- kilograms, share of the shipment and path; `small` for the lots of less than 0.005 kg each (how many, counted
-- here in the genealogy, their kilograms, the nearest depth), `untraced` for what reaches no lot.
-- Inputs: facts.trace_shipments ($1 request, $2 shipment, $3 order), facts.shipment_attribution,
-- facts.trace_root_lots, facts.shipment, snapshot.tealine. Output: TraceQuery.backwardColumns, as text.
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
       to_char(round(a.kg / nullif(al.kg, 0) * 100, 2), 'FM990.00'),
       case when a.root_kind = 'small' then to_char(n.lots, 'FM999G999G999G999') || ' ' || a.path else a.path end
  from facts.shipment_attribution a
  join allocated al using (request_code, shipment_code)
 cross join lateral (
       -- The small row's lots: every root lot of the shipment's genealogy that it does not list.
       select case when a.root_kind = 'small' then
                   (select count(*) from facts.trace_root_lots(a.request_code, a.shipment_code, null))
                   - (select count(*) from facts.shipment_attribution x
                       where x.request_code = a.request_code and x.shipment_code = a.shipment_code
                         and x.root_kind in ('tealine', 'blendbalance')) end as lots
       ) n
  left join facts.shipment sh using (request_code, shipment_code)
  left join snapshot.tealine t on a.root_kind = 'tealine' and t.item_code = a.root_code and t.created_ts = a.root_ts
 order by a.request_code, a.shipment_code, a.root_kind in ('small', 'untraced'), a.root_kind = 'untraced', a.kg desc, a.root_code
