-- How a planning file was read, beyond its encoding and delimiter: its decimal mark (a semicolon-separated export
-- of a comma-decimal locale writes 2.500,00), the line its header was found on (a report's title lines above it
-- are skipped), and the rows of empty fields only that were skipped (Excel writes ,,,, for formatted empty rows).
alter table mtp.plan_import add column decimal_mark text not null default '.';
alter table mtp.plan_import add column header_line integer not null default 1;
alter table mtp.plan_import add column rows_blank integer not null default 0;
