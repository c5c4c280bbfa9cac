-- Summary: the day and the data the workbook describes, then the key figures of the built facts.
-- Parameters (set by the report stage): mtp.report_date. Time stamps come out in the session's time zone.
with build as (
    -- data_as_of is the newest time stamp in the data itself (not the clock of the pull): the same data reads the same.
    select pull_id, snapshot_at, data_as_of from facts.build
),
orders as (
    select count(*) filter (where has_plan) as planned,
           count(*) filter (where has_plan and on_time) as on_time,
           count(*) filter (where has_plan and not on_time) as late,
           count(*) filter (where has_plan and last_dispatched_at is null) as not_dispatched
      from facts.order_fulfilment
),
shipments as (
    select count(*) filter (where dispatched_at is not null) as dispatched, count(*) as total from facts.shipment
),
dispatched as (
    select coalesce(sum(e.kg), 0) as kg
      from facts.edge_record_shipment e
      join facts.shipment s using (request_code, shipment_code)
     where s.dispatched_at is not null
),
yields as (
    select sum(output_kg) / nullif(sum(input_kg), 0) as average, min(yield_pct) / 100 as worst,
           (array_agg(batch_code order by yield_pct, batch_code))[1] as worst_batch
      from facts.batch_yield
     where yield_pct is not null
),
findings as (
    select count(*) filter (where severity = 'error') as errors, count(*) filter (where severity = 'warning') as warnings
      from facts.finding
),
latest_imports as (
    select distinct on (file_name) import_id from mtp.plan_import order by file_name, import_id desc
),
rejects as (
    select count(*) as rows from mtp.plan_reject where import_id in (select import_id from latest_imports)
),
kpis (position, measure, value, note, kind) as (
    select 1, 'Report date', current_setting('mtp.report_date'), 'the day this workbook was written for', 'date'
    union all select 2, 'Data as of', to_char(b.data_as_of, 'YYYY-MM-DD HH24:MI:SS'), 'newest bag, batch or dispatch in the snapshot', 'dateTime' from build b
    union all select 3, 'Snapshot', b.pull_id::text, 'the Central pull the facts were built from', 'integer' from build b
    union all select 4, 'Orders planned', o.planned::text, 'order codes with a plan', 'integer' from orders o
    union all select 5, 'Orders on time', o.on_time::text, 'last dispatch on or before plan end', 'integer' from orders o
    union all select 6, 'Orders late', o.late::text, 'last dispatch after plan end', 'integer' from orders o
    union all select 7, 'Orders not dispatched yet', o.not_dispatched::text, 'planned, nothing dispatched', 'integer' from orders o
    union all select 8, 'Shipments dispatched', s.dispatched::text, 'of ' || s.total || ' shipments', 'integer' from shipments s
    union all select 9, 'Dispatched (kg)', d.kg::text, 'allocated to dispatched shipments', 'decimal' from dispatched d
    union all select 10, 'Average yield', y.average::text, 'all batches: output over input', 'percent' from yields y
    union all select 11, 'Worst yield', y.worst::text, 'batch ' || coalesce(y.worst_batch, '-'), 'percent' from yields y
    union all select 12, 'Findings: errors', f.errors::text, 'see Reconciliation', 'integer' from findings f
    union all select 13, 'Findings: warnings', f.warnings::text, 'see Reconciliation', 'integer' from findings f
    union all select 14, 'Import rejects', r.rows::text, 'rows of the latest planning imports, see Import rejects', 'integer' from rejects r
)
select measure, value, note, kind
  from kpis
 order by position
