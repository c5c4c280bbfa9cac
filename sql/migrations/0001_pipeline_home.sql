-- The pipeline's home in the Manager database: its own schema, the planning tables of seed 000 and the
-- ledger of planning imports. order_plan already exists in production; it is created here only where it is
-- absent (demo, tests). order_plan_raw is the staging table of planning imports; its columns are ours.

create schema if not exists mtp;

create table if not exists public.order_plan (
    order_code   text primary key,
    product_name text not null,
    requirement  integer not null,
    plan_start   date not null,
    plan_end     date not null
);

-- One row per imported planning file (refused files leave no trace: nothing of them is kept).
create table mtp.plan_import (
    import_id      bigint generated always as identity primary key,
    file_name      text        not null,    -- base name as imported
    file_path      text        not null,    -- absolute path at import time
    file_size      bigint      not null,
    sha256         text        not null,
    encoding       text        not null,
    delimiter      text        not null,
    date_order     text        not null,
    header         text[]      not null,    -- the header row exactly as read
    started_at     timestamptz not null default clock_timestamp(),
    finished_at    timestamptz,
    rows_read      integer     not null default 0,  -- data rows (blank lines not counted)
    rows_imported  integer     not null default 0,  -- distinct order codes accepted into order_plan
    rows_inserted  integer     not null default 0,  -- of which new to order_plan
    rows_updated   integer     not null default 0,  -- of which revised an existing plan
    rows_rejected  integer     not null default 0,
    rows_skipped   integer     not null default 0,  -- identical repeats of a row in the same file
    outcome        text        not null default 'running'
                   check (outcome in ('running', 'imported', 'imported_with_rejects')),
    forced         boolean     not null default false
);
create index plan_import_sha256 on mtp.plan_import (sha256);

-- Every data row exactly as read, with its lineage (seed 004) and the checks' verdict.
-- No foreign key to mtp.plan_import: the importer writes both in one transaction, and a per-row key check
-- would triple the cost of staging a million rows.
create table if not exists public.order_plan_raw (
    import_id      bigint  not null,
    source_file    text    not null,          -- file name as imported
    source_line    integer not null,          -- 1-based physical line where the row starts
    row_hash       text    not null,          -- sha256 of the row's fields as read
    field_count    integer not null,          -- fields in the row (the header's count when well formed)
    order_code     text,                      -- the required fields, as read
    product_name   text,
    requirement    text,
    plan_start     text,
    plan_end       text,
    extra          jsonb,                     -- other columns: {"header as read": "value"}
    reject_reason  text,                      -- null when the row passed every check
    n_order_code   text,                      -- normalised values of a row that passed
    n_product_name text,
    n_requirement  integer,
    n_plan_start   date,
    n_plan_end     date,
    primary key (import_id, source_line)
);

-- Rejected planning rows with their file, line, values as read and reason.
create view mtp.plan_reject as
select r.import_id, i.file_name, r.source_line, r.order_code, r.product_name, r.requirement,
       r.plan_start, r.plan_end, r.extra, r.reject_reason as reason, i.finished_at as imported_at
  from public.order_plan_raw r
  join mtp.plan_import i using (import_id)
 where r.reject_reason is not null;
