-- Planning files of an inbox whose modification time lies in the future (a file share whose clock is ahead):
-- their age says nothing about whether a copy is still under way, so each is imported once it has been seen
-- unchanged (same size and modification time) for the settle time. One row per path: what was seen, and since when.
create table mtp.inbox_sighting (
    path        text        primary key,
    size        bigint      not null,
    modified    timestamptz not null,
    first_seen  timestamptz not null
);
