-- Summary of one trace: the question, when it was answered, the snapshot, and the kilograms in and out.
-- Reads the trace_* tables the audit workbook fills for the question; mtp.trace_question and
-- mtp.trace_direction (forward | backward) are set by it.
with lots as (
    select coalesce(sum(kg) filter (where root_kind <> 'untraced'), 0) as traced_kg,
           coalesce(sum(kg) filter (where root_kind = 'untraced'), 0) as untraced_kg
      from trace_lot
),
shipped as (
    select coalesce(sum(kg), 0) as kg, count(*) as shipments from trace_shipment
),
figures as (
    -- Forward: in = the bags of the lot, out = what reached shipments; the rest is in stock, in balances or lost.
    -- Backward: out = allocated to the shipments, in = what reaches a lot; untraced = what reaches none.
    select l.traced_kg as kg_in,
           s.kg as kg_out,
           case when current_setting('mtp.trace_direction') = 'forward' then l.traced_kg - s.kg else l.untraced_kg end as untraced_kg,
           case when current_setting('mtp.trace_direction') = 'forward' then s.kg / nullif(l.traced_kg, 0)
                else l.traced_kg / nullif(s.kg, 0) end as traced_share,
           s.shipments
      from lots l cross join shipped s
),
measures (position, measure, value, note, kind) as (
    select 1, 'Question', current_setting('mtp.trace_question'), '', 'text'
    union all select 2, 'Answered at', to_char(clock_timestamp(), 'YYYY-MM-DD HH24:MI:SS'), 'when this workbook was written', 'dateTime'
    union all select 3, 'Snapshot taken at', to_char(b.snapshot_at, 'YYYY-MM-DD HH24:MI:SS'), 'Central pull ' || b.pull_id, 'dateTime'
      from facts.build b
    union all select 4, 'Kg in', f.kg_in::text,
           case when current_setting('mtp.trace_direction') = 'forward' then 'net kg of the bags traced' else 'kg reaching a received lot' end,
           'decimal' from figures f
    union all select 5, 'Kg out', f.kg_out::text,
           case when current_setting('mtp.trace_direction') = 'forward' then 'kg reaching shipments' else 'kg allocated to the shipments' end,
           'decimal' from figures f
    union all select 6, 'Untraced kg', f.untraced_kg::text,
           case when current_setting('mtp.trace_direction') = 'forward' then 'not in any shipment: in stock, in balances, or lost in blending'
                else 'reaches no lot (a genealogy cycle or a batch without inputs)' end,
           'decimal' from figures f
    union all select 7, 'Percent traced', f.traced_share::text,
           case when current_setting('mtp.trace_direction') = 'forward' then 'kg out over kg in' else 'kg in over kg out' end,
           'percent' from figures f
    union all select 8, 'Shipments', f.shipments::text, '', 'integer' from figures f
)
select measure, value, note, kind
  from measures
 order by position
