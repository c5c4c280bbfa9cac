-- Why part of the chosen shipments reaches no lot, in words: a blend bag the snapshot does not have, a batch
-- without recorded inputs, or a genealogy that loops back on itself.
-- Inputs: facts.trace_shipments ($1 request, $2 shipment, $3 order), facts.shipment_attribution,
-- edge_record_shipment, edge_batch_output, batch_input, batch_level. Output: one row, the reasons joined by
-- '; ' (null when there is none).

with chosen as (
    select * from facts.trace_shipments($1, $2, $3)
),

untraced as (
    select a.request_code, a.shipment_code
      from facts.shipment_attribution a
      join chosen c on c.request_code = a.request_code and c.shipment_code = a.shipment_code
     where a.root_kind = 'untraced'
),

bags as (
    select e.barcode, o.item_code as batch_code, o.created_ts as batch_ts
      from untraced u
      join facts.edge_record_shipment e on e.request_code = u.request_code and e.shipment_code = u.shipment_code
      left join facts.record o on o.barcode = e.barcode and o.record_kind = 'blendsheet'   -- a blend bag's batch
     where e.record_kind = 'blendsheet'
),

reasons as (
    select distinct
           case when b.batch_code is null then 'a blend bag of the shipment is not in the snapshot'
                when not exists (select 1 from facts.batch_input i where i.batch_code = b.batch_code and i.batch_ts = b.batch_ts)
                     then 'batch ' || b.batch_code || ' has no recorded inputs'
                when exists (select 1 from facts.batch_level v where v.batch_code = b.batch_code and v.batch_ts = b.batch_ts and v.loops)
                     then 'the genealogy of batch ' || b.batch_code || ' loops back on itself'
           end as reason
      from bags b
)

select string_agg(reason, '; ' order by reason) from reasons where reason is not null
