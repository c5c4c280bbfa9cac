-- What the chosen shipments are made of: each root lot's kilograms and share of all they hold, then the lots of
-- less than 0.005 kg in a shipment together (`small`, with how many lots no shipment lists), untraced last.
-- Inputs: facts.trace_shipments, trace_root_lots ($1 request, $2 shipment, $3 order), facts.shipment_attribution.
-- Output: root_kind, root_code ('' for small and untraced), kg, share (float8), lots, largest first.

with chosen as (
    select * from facts.trace_shipments($1, $2, $3)
),

attributed as (
    select a.root_kind, a.root_code, sum(a.kg) as kg
      from facts.shipment_attribution a
      join chosen c on c.request_code = a.request_code and c.shipment_code = a.shipment_code
     group by a.root_kind, a.root_code
),

small_lots as (
    -- Every root lot of the shipments' genealogy that no shipment lists.
    select (select count(*) from facts.trace_root_lots($1, $2, $3))
           - (select count(distinct (a.root_kind, a.root_code, a.root_ts))
                from facts.shipment_attribution a
                join chosen c on c.request_code = a.request_code and c.shipment_code = a.shipment_code
               where a.root_kind in ('tealine', 'blendbalance')) as lots
)

select root_kind, coalesce(root_code, ''), kg::float8, (kg / nullif(sum(kg) over (), 0))::float8,
       case when root_kind = 'small' then (select lots from small_lots) else 1 end::int8
  from attributed
 order by root_kind in ('small', 'untraced'), root_kind = 'untraced', kg desc, root_code
