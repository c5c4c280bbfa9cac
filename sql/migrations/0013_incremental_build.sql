-- Incremental builds (issue 20): each build's row says how it was built (full or incremental, and why full),
-- how many keys of each kind it recomputed and how long it took.
alter table mtp.fact_build
    add column mode            text,            -- 'full' or 'incremental'; null: built by an earlier version
    add column full_reason     text,            -- why a build was a full one
    add column keys_recomputed jsonb,           -- {"bags": 1200, "batches": 14, ...}
    add column seconds         numeric;         -- the build's time, up to its record
