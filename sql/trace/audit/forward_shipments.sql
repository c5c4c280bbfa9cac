-- Forward audit: the shipments the bags reached with the kilograms the command line's forward trace prints
-- (rounded to 0.01 kg; those rounding to 0.00 left out).
-- Inputs: facts.trace_reached_shipments ($1 barcode, or $2 kind, $3 code, $4 created_ts). Output: rows of
-- trace_shipment.
insert into trace_shipment
select request_code, shipment_code, round(kg, 2)
  from facts.trace_reached_shipments($1, $2, $3, $4)
 where round(kg, 2) <> 0
