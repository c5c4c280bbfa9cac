-- Forward trace: every shipment the chosen bags reached, directly or through batches and the balances they
-- left, with kilograms, their share of what the bags received, the batches between, status and dispatch.
-- Inputs: facts.trace_bags and trace_reached_shipments ($1 barcode, or $2 kind, $3 code, $4 created_ts),
-- facts.shipment. Output: TraceQuery.forwardColumns, as text (times ISO 8601 in UTC).
-- Rule: every shipment reached is listed, however little reached it (shown_amount prints it as it is).

with bags as (
    select * from facts.trace_bags($1, $2, $3, $4)
),

reached as (
    select * from facts.trace_reached_shipments($1, $2, $3, $4)
),

lot as (
    select min(item_code) as item_code, min(created_ts) as created_ts, sum(net_kg) as received_kg from bags
)

select lot.item_code, to_char(to_timestamp(lot.created_ts / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
       r.request_code::text, r.shipment_code::text, sh.order_code, sh.product_name,
       facts.shown_amount(r.kg), facts.shown_amount(r.kg / nullif(lot.received_kg, 0) * 100),
       r.batches, sh.latest_status,
       to_char(sh.dispatched_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  from reached r
 cross join lot
  left join facts.shipment sh using (request_code, shipment_code)
 order by r.request_code, r.shipment_code
