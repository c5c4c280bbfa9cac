-- The units a generation makes, shared by its Central and its Manager part (sql/generate/state/): units
-- mtp.first_unit .. mtp.units, one every 20 minutes from 2026-01-01 00:00 UTC. A whole state makes units 1 .. N
-- in a scratch database holding both fixtures (`mtp-etl generate state`); a day makes the next units after
-- those a live Central and Manager already hold (`mtp-etl generate day`), each part in its own database.
-- Deterministic for a seed: every "random" value is a hash of the seed and the row's key, so unit u is the
-- same whichever generation makes it.
--
-- One unit u = two tealine lots of 64 bags (80 into a blend batch, the rest shipped directly, some through
-- parcels), one blend batch B-u with 76 output bags shipped whole, and a 20 kg blendbalance left by B-u that
-- goes into B-(u+1) (chains of ten batches). About 205 bags per unit.
--
-- Anomalies, each a small share and at least one from unit 13 on (anchor units 3..12), so that every
-- reconciliation check finds something: short receipts, poor yields, yield above 100 %, a blocked batch shipped,
-- over-allocated bags, orphan allocations and parcel schedules, requests without a plan, quantity mismatches,
-- dispatch status out of step with events (both ways), a location turned herbline-only, a genealogy cycle.

create function pg_temp.rnd(key text) returns float8 language sql stable as $$
    select ('x' || substr(md5(current_setting('mtp.seed') || ':' || key), 1, 12))::bit(48)::bigint / 281474976710656.0
$$;
create function pg_temp.uid(key text) returns uuid language sql stable as $$
    select md5(current_setting('mtp.seed') || ':bag:' || key)::uuid
$$;
-- Is unit u one of the share of units with this anomaly? (Its anchor unit always is.)
create function pg_temp.odd(kind text, u int, share float8, anchor int) returns boolean language sql stable as $$
    select u = anchor or pg_temp.rnd(kind || ':' || u) < share
$$;
-- When unit u starts (milliseconds since the epoch, as Central keeps time).
create function pg_temp.t0(u int) returns bigint language sql immutable as $$
    select 1767225600000::bigint + u * 1200000::bigint
$$;

create temp table unit as
select u, pg_temp.t0(u) as t0,
       'ORD-' || lpad(((u + 2) / 3)::text, 6, '0') as order_code,
       pg_temp.odd('blocked', u, 0.01, 3) as blocked,
       pg_temp.odd('over', u, 0.003, 4) as over_allocated,
       pg_temp.odd('orphan', u, 0.003, 5) as orphan_allocation,
       pg_temp.odd('parcel', u, 0.003, 6) as orphan_parcel,
       pg_temp.odd('mismatch', u, 0.01, 7) as quantity_mismatch,
       pg_temp.odd('nodispatchevent', u, 0.003, 8) as dispatched_without_event,
       pg_temp.odd('noflag', u, 0.003, 9) as event_without_bags,
       pg_temp.odd('above', u, 0.005, 10) as above_100,
       pg_temp.odd('herb', u, 0.002, 11) as location_violation,
       pg_temp.odd('poor', u, 0.03, 12) as poor,
       pg_temp.rnd('dispatched:' || u) < 0.7 as dispatched
  from generate_series(current_setting('mtp.first_unit')::int, current_setting('mtp.units')::int) u;
