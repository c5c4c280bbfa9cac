-- Receiving: every lot of the trace with its purchase details, what was received of it and its kilograms in
-- this trace, with their share of the trace's total.
with lots as (
    select root_kind, root_code, root_ts, kg from trace_lot where root_kind not in ('untraced', 'small')
),
received as (
    select record_kind, item_code, created_ts, count(*) as bags, sum(net_kg) as kg, min(received_at) as received_at
      from facts.record
     where (record_kind, item_code, created_ts) in (select root_kind, root_code, root_ts from lots)
     group by record_kind, item_code, created_ts
)
select l.root_code, l.root_kind, t.garden, t.grade, t.invoice_no, t.broker, t.purchase_order, r.bags, r.kg, l.kg,
       l.kg / nullif(sum(l.kg) over (), 0), r.received_at
  from lots l
  left join received r on r.record_kind = l.root_kind and r.item_code = l.root_code and r.created_ts = l.root_ts
  left join snapshot.tealine t on l.root_kind = 'tealine' and t.item_code = l.root_code and t.created_ts = l.root_ts
 order by l.kg desc, l.root_code
