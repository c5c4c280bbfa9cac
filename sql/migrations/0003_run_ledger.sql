-- The ledger of scheduled runs (`mtp-etl run`): one row per run, one row per stage it reached. A run holds a
-- session advisory lock in Manager for its whole life, so two runs never overlap and a killed run leaves no
-- lock behind; a row still 'running' without its lock holder is closed as 'abandoned' by the next run.

create table mtp.run (
    run_id       bigint generated always as identity primary key,
    started_at   timestamptz not null default clock_timestamp(),
    finished_at  timestamptz,
    outcome      text not null default 'running'
                 check (outcome in ('running', 'succeeded', 'failed', 'interrupted', 'abandoned')),
    exit_code    integer,
    host         text not null,              -- the machine the run ran on
    pid          integer not null,           -- its process id there
    backend_pid  integer not null,           -- the Manager session holding the run lock
    inbox        text,
    workbook     text,                       -- the workbook written, when the report stage ran
    failed_stage text,
    error        text
);

create table mtp.run_stage (
    run_id      bigint  not null references mtp.run (run_id),
    position    integer not null,
    stage       text    not null check (stage in ('migrate', 'check', 'import-plans', 'pull-central', 'build', 'report')),
    started_at  timestamptz not null,
    finished_at timestamptz,
    outcome     text    not null default 'running'
                check (outcome in ('running', 'succeeded', 'skipped', 'failed', 'interrupted')),
    seconds     numeric,
    counts      jsonb   not null default '{}',   -- rows, files, rejects, findings... per stage
    peak_rss_mib numeric,                        -- the process's peak memory during the stage
    error       text,
    primary key (run_id, position)
);
