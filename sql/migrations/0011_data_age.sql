-- How old the data is, kept where operators look: the newest bag or batch output a Central snapshot holds
-- (`mtp-etl snapshots`), and per run the age of the data its workbook describes against the run's time, and
-- whether that was past --max-data-age (`mtp-etl runs`; such a run exits 6 and calls --on-failure).
alter table mtp.central_pull add column newest_scan_at timestamptz;
alter table mtp.run add column data_age_seconds numeric;
alter table mtp.run add column stale boolean not null default false;
