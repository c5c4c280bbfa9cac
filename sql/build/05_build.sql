-- The build itself: which snapshot the facts come from, when they were built, and the data's own time.
-- data_as_of is the newest time stamp in the data (bag received, batch made, dispatch), not the clock of the
-- pull: workbooks show it and date themselves by it, so that the same data reads the same, and reports date a
-- finding that concerns no timed row by it.
create table facts_next.build as
with data_times as (
    select max(received_at) as t from facts_next.record
    union all
    select max(created_at) from facts_next.batch_yield
    union all
    select max(dispatched_at) from facts_next.shipment
)
select p.pull_id, p.snapshot_at, clock_timestamp() as built_at, (select max(t) from data_times) as data_as_of
  from snapshot.pull p;
