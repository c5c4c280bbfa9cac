-- Files modified in the future ($1 paths, $2 sizes, $3 modification times), seen now ($4): each sighting is kept
-- (a changed file starts again), and the files seen unchanged since at least $5 seconds are returned, ready.
-- Inputs and output: mtp.inbox_sighting; the ready paths.
with seen as (
    select path, size, modified
      from unnest($1::text[], $2::bigint[], $3::timestamptz[]) as file (path, size, modified)
),

recorded as (
    insert into mtp.inbox_sighting as sighting (path, size, modified, first_seen)
    select path, size, modified, $4::timestamptz from seen
    on conflict (path) do update
       set size = excluded.size, modified = excluded.modified,
           first_seen = case when (sighting.size, sighting.modified) = (excluded.size, excluded.modified)
                             then sighting.first_seen else excluded.first_seen end
    returning path, first_seen
)

select path from recorded where first_seen <= $4::timestamptz - make_interval(secs => $5) order by path
