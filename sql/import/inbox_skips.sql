-- Records an inbox's skipped entries ($1 paths, $2 kinds, text[]) as seen at $3 (the moment the import stands
-- for, else now): new ones with that as first and last seen, known ones with a new last seen.
-- Output: rows of mtp.inbox_skip.
insert into mtp.inbox_skip as skip (path, kind, first_seen, last_seen)
select path, kind, coalesce($3::timestamptz, clock_timestamp()), coalesce($3::timestamptz, clock_timestamp())
  from unnest($1::text[], $2::text[]) as entry (path, kind)
on conflict (path, kind) do update set last_seen = excluded.last_seen
