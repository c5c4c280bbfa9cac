-- The ledger of Central snapshot pulls. The snapshot itself lives in schema "snapshot", replaced whole by each
-- successful pull (built as "snapshot_next" and renamed in the same transaction).

create table mtp.central_pull (
    pull_id           bigint generated always as identity primary key,
    started_at        timestamptz not null default clock_timestamp(),
    finished_at       timestamptz,
    central_host      text,                 -- server address as connected (never credentials)
    central_port      text,
    central_database  text,
    system_identifier text,                 -- pg_control_system().system_identifier, when readable
    snapshot_at       timestamptz,          -- Central's clock inside the snapshot transaction
    rows_total        bigint,
    outcome           text not null default 'running' check (outcome in ('running', 'succeeded', 'failed')),
    error             text
);

create table mtp.central_pull_table (
    pull_id     bigint  not null references mtp.central_pull (pull_id),
    table_name  text    not null,
    row_count   bigint  not null,
    duration_ms numeric not null,
    primary key (pull_id, table_name)
);
