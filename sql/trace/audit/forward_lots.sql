-- Forward audit: the question's lot (or the lot of its bag) with the kilograms of the bags traced.
-- Inputs: facts.trace_bags ($1 barcode, or $2 kind, $3 code, $4 created_ts). Output: rows of trace_lot.
insert into trace_lot
select r.record_kind, r.item_code, r.created_ts, sum(r.net_kg)
  from facts.trace_bags($1, $2, $3, $4) r
 group by r.record_kind, r.item_code, r.created_ts
