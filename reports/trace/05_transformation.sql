-- Transformation: every batch of the trace, bag by bag: its input bags (tealine and blendbalance) and then its
-- output bags, so that each side adds up to the batch's input and output kilograms (facts.batch_yield).
with batches as (
    select y.batch_code, y.batch_ts, y.blendsheet_no, y.yield_pct
      from trace_batch b
      join facts.batch_yield y on y.batch_code = b.batch_code and y.batch_ts = b.batch_ts
),
inputs as (
    select b.batch_code, b.batch_ts, b.blendsheet_no, b.yield_pct, 'input' as side, e.record_kind as kind, e.lot_code, e.barcode, e.kg, r.received_at as at
      from facts.edge_record_batch e
      join batches b on b.batch_code = e.batch_code and b.batch_ts = e.batch_ts
      left join facts.record r on r.barcode = e.barcode and r.record_kind = e.record_kind
),
outputs as (
    select b.batch_code, b.batch_ts, b.blendsheet_no, b.yield_pct, 'output', 'blendsheet', o.batch_code, o.barcode, o.kg, o.made_at
      from facts.edge_batch_output o
      join batches b on b.batch_code = o.batch_code and b.batch_ts = o.batch_ts
),
bags as (
    select * from inputs union all select * from outputs
)
-- Each side carries its batch's columns, so no join back to the batches: planned on a misjudged count of them,
-- that join made a recall of a 1,200-batch chain take 11 s.
select x.batch_code, x.blendsheet_no, x.yield_pct / 100, x.side, x.kind, x.lot_code, x.barcode::text, x.kg, x.at
  from bags x
 order by x.batch_ts, x.batch_code, x.side, x.lot_code, x.at, x.barcode
