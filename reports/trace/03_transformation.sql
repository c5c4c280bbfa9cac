-- Transformation: every batch of the trace, one row per input bag and output bag pair. Each pair carries its
-- share of both: input kg x (output bag kg / batch output) and output kg x (input bag kg / batch input), so
-- each column adds up to the batch's input and output.
with batches as (
    select y.batch_code, y.batch_ts, y.blendsheet_no, y.completed
      from trace_batch b
      join facts.batch_yield y on y.batch_code = b.batch_code and y.batch_ts = b.batch_ts
),
inputs as (
    select e.batch_code, e.batch_ts, e.record_kind, e.lot_code, e.barcode, e.kg
      from facts.edge_record_batch e
      join batches b on b.batch_code = e.batch_code and b.batch_ts = e.batch_ts
),
outputs as (
    select o.batch_code, o.batch_ts, o.barcode, o.kg, r.created_at
      from facts.edge_batch_output o
      join batches b on b.batch_code = o.batch_code and b.batch_ts = o.batch_ts
      left join snapshot.blendsheet_record r on r.barcode = o.barcode
),
input_totals as (
    select batch_code, batch_ts, sum(kg) as kg from inputs group by batch_code, batch_ts
),
output_totals as (
    select batch_code, batch_ts, sum(kg) as kg, max(created_at) as last_output_at from outputs group by batch_code, batch_ts
),
pairs as (
    select b.batch_code, b.blendsheet_no, i.record_kind, i.lot_code, i.barcode as input_bag,
           i.kg * coalesce(o.kg / nullif(ot.kg, 0), 1) as input_kg,
           o.barcode as output_bag,
           o.kg * coalesce(i.kg / nullif(it.kg, 0), 1) as output_kg,
           case when b.completed then ot.last_output_at end as completed_at,
           b.batch_ts
      from batches b
      left join inputs i on i.batch_code = b.batch_code and i.batch_ts = b.batch_ts
      left join outputs o on o.batch_code = b.batch_code and o.batch_ts = b.batch_ts
      left join input_totals it on it.batch_code = b.batch_code and it.batch_ts = b.batch_ts
      left join output_totals ot on ot.batch_code = b.batch_code and ot.batch_ts = b.batch_ts
)
select batch_code, blendsheet_no, record_kind, lot_code, input_bag, input_kg, output_bag, output_kg, completed_at
  from pairs
 order by batch_ts, batch_code, lot_code, input_bag, output_bag
