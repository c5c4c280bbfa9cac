-- build: full
-- Readers of the facts (a BI tool, an analyst): the role mtp_report_reader, where the database has it
-- (docs/OPERATIONS.md, "Roles"), reads every fact and report view. The schema is new at every build, so its
-- grants are given again here; nothing else of the pipeline's is granted.
do $$
begin
    if exists (select from pg_roles where rolname = 'mtp_report_reader') then
        grant usage on schema facts_next to mtp_report_reader;
        grant select on all tables in schema facts_next to mtp_report_reader;
    end if;
end
$$;
