-- Whether any of a sample of an import's accepted order codes ($1, text[]) has a plan already: index probes
-- only, whatever the table statistics say. Output: one boolean.
select exists (select 1 from public.order_plan where order_code = any($1::text[]))
