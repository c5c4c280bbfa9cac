-- Forward audit: every shipment the bags reached, with its kilograms, however small (a recall reaches every
-- one of them).
-- Inputs: facts.trace_reached_shipments ($1 barcode, or $2 kind, $3 code, $4 created_ts). Output: rows of
-- trace_shipment.
insert into trace_shipment
select request_code, shipment_code, kg
  from facts.trace_reached_shipments($1, $2, $3, $4)
