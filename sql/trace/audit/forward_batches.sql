-- Forward audit: the batches the bags went into, and every batch made from those through balances (each
-- once, however many ways lead there).
-- Inputs: facts.trace_fed ($1 barcode, or $2 kind, $3 code, $4 created_ts), facts.batch_link. Output: rows of
-- trace_batch.
insert into trace_batch
with recursive made (batch_code, batch_ts) as (
    select batch_code, batch_ts from facts.trace_fed($1, $2, $3, $4)
    union
    select l.batch_code, l.batch_ts
      from made m
      join facts.batch_link l on l.source_batch_code = m.batch_code and l.source_batch_ts = m.batch_ts
     where not l.in_loop
)
select batch_code, batch_ts from made
