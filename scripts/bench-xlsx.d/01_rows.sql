-- The benchmark's rows: text, integers, decimals, a percentage, a date and a time stamp, generated in the server.
-- scripts/bench-xlsx.c and bench-xlsx.py compute the same values.
select 'LOT-' || lpad(i::text, 7, '0') as lot,
       'Garden ' || (i % 97) as garden,
       (array['BOP', 'FBOP', 'OP', 'PEKOE'])[i % 4 + 1] as grade,
       'INV-' || (i * 7 % 100003) as invoice,
       i % 1000 as bags,
       (i % 100000) * 0.25 as kg,
       (i % 977) * 1.5 as value_kg,
       (i % 101) / 100.0 as share,
       date '2026-01-01' + (i % 365) as made_on,
       timestamptz '2026-01-01 00:00:00+00' + i * interval '1 minute' as received_at
  from generate_series(1, current_setting('mtp.rows')::int) as i
