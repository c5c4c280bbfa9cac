-- Narrower staging rows for planning imports (a million-row file stages a million of them): the row hash as
-- its 32 bytes rather than 64 hex characters, and the normalised order code and product name only where they
-- differ from the value as read (trimming is all normalising does to them; null means "as read").
alter table public.order_plan_raw alter column row_hash type bytea using decode(row_hash, 'hex');
comment on column public.order_plan_raw.row_hash is 'sha256 of the row''s fields as read, joined by U+001F';
update public.order_plan_raw set n_order_code = null where n_order_code = order_code;
update public.order_plan_raw set n_product_name = null where n_product_name = product_name;
comment on column public.order_plan_raw.n_order_code is 'the trimmed order code of an accepted row, when it differs from order_code';
comment on column public.order_plan_raw.n_product_name is 'the trimmed product name of an accepted row, when it differs from product_name';
