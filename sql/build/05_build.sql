-- build: every
-- The build itself: which snapshot the facts come from, when they were built, and the data's own time.
-- data_as_of is the newest time stamp in the data (bag received, batch made, dispatch), not the clock of the
-- pull: workbooks show it and date themselves by it, so that the same data reads the same, and reports date a
-- finding that concerns no timed row by it.
-- How old the data is, part by part (the newest bag scanned, batch output made, dispatch), is what a workbook
-- and the run ledger state against the run's time: a scanner that stopped shows as an old last_bag_at.
-- How the facts were built (mtp.build_mode: full or incremental, mtp.build_reason: why full, mtp.build_definition:
-- the checksum of sql/build and the source contract an incremental build must match) is set by the build.
create table if not exists build (
    pull_id bigint, snapshot_at timestamptz, built_at timestamptz, data_as_of timestamptz, last_bag_at timestamptz,
    last_output_at timestamptz, last_dispatch_at timestamptz, mode text, full_reason text, definition text
);
delete from build;
insert into build
with data_times as (
    select (select max(received_at) from record where record_kind <> 'blendsheet') as last_bag_at,
           (select max(received_at) from record where record_kind = 'blendsheet') as last_output_at
),
batches as (
    select max(created_at) as last_batch_at from batch_yield
),
dispatches as (
    select max(dispatched_at) as last_dispatch_at from shipment
)
select p.pull_id, p.snapshot_at, clock_timestamp() as built_at,
       greatest(d.last_bag_at, d.last_output_at, b.last_batch_at, x.last_dispatch_at) as data_as_of,
       d.last_bag_at, d.last_output_at, x.last_dispatch_at,
       current_setting('mtp.build_mode'), nullif(current_setting('mtp.build_reason'), ''),
       current_setting('mtp.build_definition')
  from snapshot.pull p
 cross join data_times d
 cross join batches b
 cross join dispatches x;
