-- Yield per blend batch (DOMAIN.md): output of its bags over all allocations into it, with seed 004's rating,
-- for the batches made or completed in the detail period (mtp.period_start .. mtp.report_date) and every batch
-- not completed yet (rated only when complete). Open batches first, then the newest.
with batches as (
    select * from facts.batch_yield
),
params as (
    select starts_at, ends_at from facts.report_period
),
chosen as (
    select b.*
      from batches b
      cross join params p
     where b.created_at < p.ends_at
       and (not b.completed or b.created_at >= p.starts_at or (b.completed_at >= p.starts_at and b.completed_at < p.ends_at))
)
select batch_code, blendsheet_no, created_at, completed, completed_at, input_kg, output_kg, output_bags, loss_kg,
       yield_pct / 100,
       -- a batch still running has made only part of its output: no rating yet, unless it is already above 100 %
       case when not completed and rating is distinct from 'Data error' then 'in progress' else rating end
  from chosen
 order by completed, completed_at desc nulls first, created_at desc, batch_code
