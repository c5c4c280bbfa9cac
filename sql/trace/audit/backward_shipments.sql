-- Backward audit: the chosen shipments with what is allocated to them.
-- Inputs: facts.trace_shipments ($1 request, $2 shipment, $3 order), facts.shipment_attribution. Output: rows
-- of trace_shipment.
insert into trace_shipment
select c.request_code, c.shipment_code, coalesce(sum(a.kg), 0)
  from facts.trace_shipments($1, $2, $3) c
  left join facts.shipment_attribution a on a.request_code = c.request_code and a.shipment_code = c.shipment_code
 group by c.request_code, c.shipment_code
