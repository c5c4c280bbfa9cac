-- Yield per blend batch (DOMAIN.md): output of its bags over all allocations into it, with seed 004's rating.
with batches as (
    select * from facts.batch_yield
)
select batch_code, blendsheet_no, created_at, completed, input_kg, output_kg, output_bags, loss_kg, yield_pct / 100, rating
  from batches
 order by blendsheet_no, created_at, batch_code
