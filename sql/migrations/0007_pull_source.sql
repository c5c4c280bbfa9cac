-- Where a pull read its instant: a hot-standby replica or the primary, how far the standby was behind its primary
-- when the pull started, the WAL position the snapshot stands at, whether the connection was encrypted, and how
-- many connections copied in parallel (all importing the same exported snapshot).
alter table mtp.central_pull add column source_is_standby boolean;
alter table mtp.central_pull add column replay_lag interval;
alter table mtp.central_pull add column wal_position pg_lsn;
alter table mtp.central_pull add column encrypted boolean;
alter table mtp.central_pull add column jobs integer;
alter table mtp.central_pull add column attempts integer;
