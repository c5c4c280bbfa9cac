-- What monitoring reads of the run ledger: the metrics file (`run --metrics-file`) and `mtp-etl status`.
-- Inputs: mtp.run, mtp.central_pull. Output: one row (every column null before the first run).
-- Rules: the last run is the newest row, a run still running included; the last finished run is the newest
-- that is not running; the last success is the newest run that succeeded, whatever its exit (2: a planning
-- file was refused, the workbook still written); times are seconds since the Unix epoch.

with runs as (
    select run_id, started_at, finished_at, outcome, exit_code, failed_stage
      from mtp.run
),

pulls as (
    select pull_id, finished_at, rows_total, replay_lag
      from mtp.central_pull
     where outcome = 'succeeded'
),

last_run as (
    select * from runs order by run_id desc limit 1
),

last_finished as (
    select * from runs where outcome <> 'running' order by run_id desc limit 1
),

last_success as (
    select max(finished_at) as finished_at from runs where outcome = 'succeeded'
),

outcomes as (
    select coalesce(jsonb_object_agg(outcome, runs), '{}'::jsonb) as runs_by_outcome
      from (select outcome, count(*) as runs from runs group by outcome) counted
),

last_pull as (
    select * from pulls order by pull_id desc limit 1
)

select r.run_id                                    as last_run_id,
       r.outcome                                   as last_run_outcome,
       extract(epoch from r.started_at)::float8    as last_run_started,
       f.run_id                                    as finished_run_id,
       f.outcome                                   as finished_run_outcome,
       f.exit_code                                 as finished_run_exit_code,
       f.failed_stage                              as finished_run_failed_stage,
       extract(epoch from f.finished_at)::float8   as finished_run_finished,
       extract(epoch from s.finished_at)::float8   as last_success_finished,
       o.runs_by_outcome::text                     as runs_by_outcome,
       extract(epoch from p.finished_at)::float8   as last_pull_finished,
       p.rows_total                                as last_pull_rows,
       extract(epoch from p.replay_lag)::float8    as last_pull_replay_lag,
       extract(epoch from clock_timestamp())::float8 as now
  from outcomes o
 cross join last_success s
  left join last_run r on true
  left join last_finished f on true
  left join last_pull p on true
