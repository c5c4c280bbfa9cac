-- Statistics for every fact table before the facts are published, so that the first trace and report after a
-- build are planned on the tables' real sizes. Without them the planner took the rows a lot reaches for a
-- thousand and sorted every shipment allocation (100-200 ms) where an index finds them in a millisecond;
-- autovacuum would only catch up a minute later. About a second on the million-bag state.
do $statistics$
declare
    t record;
begin
    for t in select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'facts_next' and c.relkind = 'r' order by c.relname loop
        execute format('analyze facts_next.%I', t.relname);
    end loop;
end
$statistics$;
