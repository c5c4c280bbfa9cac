-- Summary of one trace, the recall exercise: the question, when it was asked and answered and how long that
-- took, the snapshot and its age, how old its data is (and a stale warning); how the kilograms add up (trace_balance: a lot's mass balance, or the
-- shipments' lots and what is untraced); and what is affected: orders, shipments, kg dispatched and not (those
-- can still be stopped). Reads the trace_* tables the audit workbook fills; settings mtp.trace_question,
-- mtp.asked_at, mtp.answered_at, mtp.answer_seconds.
with build as (
    select pull_id, snapshot_at from facts.build
),
shipments as (
    select t.request_code, t.shipment_code, t.kg, s.order_code, s.dispatched_at
      from trace_shipment t
      left join facts.shipment s on s.request_code = t.request_code and s.shipment_code = t.shipment_code
),
affected as (
    select count(distinct coalesce(order_code, 'request ' || request_code)) as orders, count(*) as shipments,
           count(*) filter (where dispatched_at is not null) as dispatched, coalesce(sum(kg) filter (where dispatched_at is not null), 0) as dispatched_kg,
           count(*) filter (where dispatched_at is null) as open, coalesce(sum(kg) filter (where dispatched_at is null), 0) as open_kg
      from shipments
),
rows (position, measure, value, share, note, kind) as (
    select 1, 'Question', current_setting('mtp.trace_question'), null::numeric, '', 'text'
    union all select 2, 'Asked at', current_setting('mtp.asked_at'), null, 'when the command started', 'dateTime'
    union all select 3, 'Answered at', current_setting('mtp.answered_at'), null, 'the trace, its balance and its picture ready', 'dateTime'
    union all select 4, 'Took (seconds)', current_setting('mtp.answer_seconds'), null, 'from question to answer', 'decimal'
    union all select 5, 'Snapshot', b.pull_id::text, null, 'the Central pull the facts were built from', 'integer' from build b
    union all select 6, 'Snapshot taken at', to_char(b.snapshot_at, 'YYYY-MM-DD HH24:MI:SS'), null, 'Central''s clock inside the pull', 'dateTime' from build b
    union all select 7, 'Snapshot age at the answer (hours)',
           round(extract(epoch from (current_setting('mtp.answered_at')::timestamp - (b.snapshot_at at time zone current_setting('timezone')))) / 3600, 2)::text,
           null, 'what happened since is not in this answer', 'decimal' from build b
    union all select 8, 'Data', current_setting('mtp.data_age'), null::numeric, 'how old the data is against the answer''s time', 'text'
    union all select 9, 'STALE DATA', current_setting('mtp.stale_warning'), null::numeric, '', 'text' where current_setting('mtp.stale_warning') <> ''
    union all select 100 + t.position, t.measure, t.value::text, t.share, t.note,
           case when t.measure = 'Accounted for' then 'percent' else 'decimal' end from trace_balance t
    union all select 200, 'Orders affected', a.orders::text, null, 'see Contacts', 'integer' from affected a
    union all select 201, 'Shipments affected', a.shipments::text, null, 'see Shipping', 'integer' from affected a
    union all select 202, 'Dispatched (kg)', a.dispatched_kg::text, null, a.dispatched || ' shipment(s) already left', 'decimal' from affected a
    union all select 203, 'Not dispatched (kg)', a.open_kg::text, null, a.open || ' shipment(s) can still be stopped', 'decimal' from affected a
)
select measure, value, share, note, kind
  from rows
 order by position
