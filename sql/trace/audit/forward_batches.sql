-- Forward audit: the batches the bags went into, and every batch made from those through balances.
-- Inputs: facts.trace_fed ($1 barcode, or $2 kind, $3 code, $4 created_ts), facts.batch_walk. Output: rows of
-- trace_batch.
insert into trace_batch
select distinct w.top_code, w.top_ts
  from facts.batch_walk w
  join facts.trace_fed($1, $2, $3, $4) f on f.batch_code = w.batch_code and f.batch_ts = w.batch_ts
 where not w.is_cycle
