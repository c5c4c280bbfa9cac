-- A lot's (or bag's) mass balance, part by part (DOMAIN.md, "Mass balance of a lot"): received = shipped + in
-- store + in stock inside blend bags + in blendbalance stock + process loss + unaccounted. Through every batch
-- the lot reaches, its share f of the batch's input (the forward trace's own) takes f of the batch's loss and of
-- each of its output bags. The allocation gap (bags allocated beyond their weight, leftover bags whose balance
-- holds other than their weight) is found on its own: where it equals unaccounted, the balance closes.
-- Inputs: facts.trace_bags, trace_reached ($1 barcode, or $2 kind, $3 code, $4 created_ts),
-- facts.record_balance, edge_record_shipment, edge_balance_source, record, edge_batch_output, batch_yield.
-- Output: one row of kg (float8): received, shipped, in store, in blend stock, in balance stock, process
-- loss, allocation gap. Unaccounted is received minus the parts (MassBalance).

with bags as (
    select * from facts.trace_bags($1, $2, $3, $4)
),

fraction as (
    select * from facts.trace_reached($1, $2, $3, $4)
),

own as (
    -- The lot's own bags: net = shipment and batch allocations + remaining (negative: allocated beyond).
    select sum(b.net_kg) as received_kg,
           sum(coalesce((select sum(s.kg) from facts.edge_record_shipment s
                          where s.lot_code = b.item_code and s.lot_ts = b.created_ts
                            and s.barcode = b.barcode and s.record_kind = b.record_kind), 0)) as shipped_kg,
           sum(greatest(rb.remaining_kg, 0)) as in_store_kg, sum(least(rb.remaining_kg, 0)) as gap_kg
      from bags b
      join facts.record_balance rb on rb.barcode = b.barcode and rb.record_kind = b.record_kind
),

balances as (
    -- A leftover bag turned into a balance: the balance's bags, what is left of them, and what was
    -- allocated beyond them.
    select s.source_barcode, sum(r.net_kg) as kg, sum(greatest(rb.remaining_kg, 0)) as stock_kg,
           sum(least(rb.remaining_kg, 0)) as gap_kg
      from fraction fr
      join facts.edge_balance_source s on s.source_batch_code = fr.batch_code and s.source_batch_ts = fr.batch_ts
      join facts.record r on r.record_kind = 'blendbalance' and r.item_code = s.balance_code and r.created_ts = s.balance_ts
      join facts.record_balance rb on rb.barcode = r.barcode
     group by s.source_barcode
),

outputs as (
    select fr.batch_code, fr.batch_ts, fr.f, o.kg as net_kg, rb.remaining_kg,
           coalesce((select sum(s.kg) from facts.edge_record_shipment s
                      where s.lot_code = o.batch_code and s.lot_ts = o.batch_ts
                        and s.barcode = o.barcode and s.record_kind = 'blendsheet'), 0) as shipped_kg,
           b.kg as balance_kg, b.stock_kg as balance_stock_kg, b.gap_kg as balance_gap_kg
      from fraction fr
      join facts.edge_batch_output o on o.batch_code = fr.batch_code and o.batch_ts = fr.batch_ts
      join facts.record_balance rb on rb.barcode = o.barcode
      left join balances b on b.source_barcode = o.barcode
),

through_batches as (
    select sum(f * shipped_kg) as shipped_kg,
           sum(f * greatest(remaining_kg, 0)) filter (where balance_kg is null) as blend_stock_kg,
           sum(f * balance_stock_kg) as balance_stock_kg,
           coalesce(sum(f * least(remaining_kg, 0)) filter (where balance_kg is null), 0)
           + coalesce(sum(f * (net_kg - shipped_kg - balance_kg + balance_gap_kg)) filter (where balance_kg is not null), 0) as gap_kg
      from outputs
),

loss as (
    select sum(fr.f * (y.input_kg - y.output_kg)) as kg
      from fraction fr
      join facts.batch_yield y on y.batch_code = fr.batch_code and y.batch_ts = fr.batch_ts
)

-- Each part to 1e-12 kg before it becomes a float8: what a lot gives a batch a thousand levels on (1e-900 kg)
-- is below what a double holds.
select round(o.received_kg, 12)::float8, round(o.shipped_kg + coalesce(t.shipped_kg, 0), 12)::float8, round(o.in_store_kg, 12)::float8,
       round(coalesce(t.blend_stock_kg, 0), 12)::float8, round(coalesce(t.balance_stock_kg, 0), 12)::float8, round(coalesce(l.kg, 0), 12)::float8,
       round(o.gap_kg + coalesce(t.gap_kg, 0), 12)::float8
  from own o cross join through_batches t cross join loss l
