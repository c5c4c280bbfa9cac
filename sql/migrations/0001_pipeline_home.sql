-- The pipeline's home in the Manager database: its own schema, and the planning tables of seed 000.
-- order_plan already exists in production; it is created here only where it is absent (demo, tests).
-- order_plan_raw is the staging table of planning imports; its columns are the pipeline's to define.

create schema if not exists mtp;

create table if not exists public.order_plan (
    order_code   text primary key,
    product_name text not null,
    requirement  integer not null,
    plan_start   date not null,
    plan_end     date not null
);

create table if not exists public.order_plan_raw (
    import_id    bigint  not null,          -- the import (mtp.plan_import) that staged the row
    source_file  text    not null,          -- file name as imported
    source_line  integer not null,          -- 1-based physical line where the row starts
    row_hash     text    not null,          -- sha256 of the row's fields as read (seed 004 lineage)
    order_code   text,
    product_name text,
    requirement  text,
    plan_start   text,
    plan_end     text,
    extra        jsonb,                     -- columns beyond the required ones: {"header as read": "value"}
    primary key (import_id, source_line)
);
