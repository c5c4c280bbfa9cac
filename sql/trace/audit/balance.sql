-- The audit's balance rows (the Summary reads them): measure, kg, share and note, in the order given.
-- Inputs: $1 measures, $2 values, $3 shares ('' for none), $4 notes (text arrays). Output: rows of trace_balance.
insert into trace_balance
select position, measure, value, nullif(share, '')::numeric, note
  from unnest($1::text[], $2::numeric[], $3::text[], $4::text[]) with ordinality as r(measure, value, share, note, position)
