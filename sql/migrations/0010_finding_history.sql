-- The memory of the reconciliation findings across builds, outside the rebuilt facts. A finding's identity is
-- its check and the key of what it is about (facts.finding: check_name, keys). Each build is one row of
-- mtp.fact_build; a finding's row says when it was first seen (build, snapshot, the data's time), last seen,
-- resolved (the first build in which it no longer appears) and how often it came back (reopened), and since
-- when it is open this time (open_since: first seen, or reopened). Times are the data's (facts.build.data_as_of),
-- not the clock's, so the same data gives the same history and the same workbook.
create table mtp.fact_build (
    build_id    bigserial   primary key,
    pull_id     bigint      not null,
    built_at    timestamptz not null,
    data_as_of  timestamptz
);

create table mtp.finding_history (
    check_name       text        not null,
    keys             text        not null,
    severity         text        not null,
    message          text        not null,
    first_build      bigint      not null references mtp.fact_build,
    first_pull       bigint      not null,
    first_data_at    timestamptz,
    last_build       bigint      not null references mtp.fact_build,
    last_data_at     timestamptz,
    open_since       timestamptz,
    resolved_build   bigint      references mtp.fact_build,
    resolved_data_at timestamptz,
    reopened         int         not null default 0
);
-- A finding's identity; keys are text of any length (a lot code Central allows), so the index holds their md5.
create unique index finding_history_identity on mtp.finding_history (check_name, md5(keys));
create index on mtp.finding_history (resolved_build);
