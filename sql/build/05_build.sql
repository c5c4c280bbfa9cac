-- The build itself: which snapshot the facts come from, when they were built, and the data's own time.
-- data_as_of is the newest time stamp in the data (bag received, batch made, dispatch), not the clock of the
-- pull: workbooks show it and date themselves by it, so that the same data reads the same, and reports date a
-- finding that concerns no timed row by it.
-- How old the data is, part by part (the newest bag scanned, batch output made, dispatch), is what a workbook
-- and the run ledger state against the run's time: a scanner that stopped shows as an old last_bag_at.
create table facts_next.build as
with data_times as (
    select max(received_at) filter (where record_kind <> 'blendsheet') as last_bag_at,
           max(received_at) filter (where record_kind = 'blendsheet') as last_output_at
      from facts_next.record
),
batches as (
    select max(created_at) as last_batch_at from facts_next.batch_yield
),
dispatches as (
    select max(dispatched_at) as last_dispatch_at from facts_next.shipment
)
select p.pull_id, p.snapshot_at, clock_timestamp() as built_at,
       greatest(d.last_bag_at, d.last_output_at, b.last_batch_at, x.last_dispatch_at) as data_as_of,
       d.last_bag_at, d.last_output_at, x.last_dispatch_at
  from snapshot.pull p
 cross join data_times d
 cross join batches b
 cross join dispatches x;
