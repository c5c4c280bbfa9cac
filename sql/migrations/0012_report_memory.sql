-- The management workbook's memory of what it showed, so the next one can say what changed since (its Changes
-- sheet): each workbook written, and the state it described as of its report date (orders' timeliness,
-- shipments dispatched, plans, batches completed and their yields, the kilograms of each lot in each shipment,
-- the findings open). Only the latest workbooks are remembered: the one just written and the one it was
-- compared with (a workbook written again for the same day and data compares with the one before, as the
-- first did).
create table mtp.report_written (
    report_id   bigint generated always as identity primary key,
    report_date date        not null,
    build_id    bigint      references mtp.fact_build,
    data_as_of  timestamptz,
    written_at  timestamptz not null default clock_timestamp(),
    file        text
);

create table mtp.remembered_order (
    report_id   bigint not null references mtp.report_written on delete cascade,
    order_code  text   not null,
    timeliness  text,
    requirement numeric,
    plan_start  date,
    plan_end    date,
    primary key (report_id, order_code)
);

create table mtp.remembered_shipment (
    report_id     bigint  not null references mtp.report_written on delete cascade,
    request_code  bigint  not null,
    shipment_code integer not null,
    dispatched    boolean not null,
    primary key (report_id, request_code, shipment_code)
);

create table mtp.remembered_batch (
    report_id  bigint  not null references mtp.report_written on delete cascade,
    batch_code text    not null,
    batch_ts   bigint  not null,
    completed  boolean not null,
    yield_pct  numeric,
    primary key (report_id, batch_code, batch_ts)
);

create table mtp.remembered_lot_kg (
    report_id     bigint  not null references mtp.report_written on delete cascade,
    request_code  bigint  not null,
    shipment_code integer not null,
    root_kind     text    not null,
    root_code     text    not null,
    root_ts       bigint  not null,
    kg            numeric not null,
    primary key (report_id, request_code, shipment_code, root_kind, root_code, root_ts)
);

create table mtp.remembered_finding (
    report_id  bigint not null references mtp.report_written on delete cascade,
    check_name text   not null,
    keys       text   not null
);
create unique index remembered_finding_identity on mtp.remembered_finding (report_id, check_name, md5(keys));
