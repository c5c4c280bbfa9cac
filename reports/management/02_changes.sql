-- Changes: what changed since the workbook before this one (facts.report_changes, sql/build/07_report_views.sql),
-- orders first, then shipments, plans, batches, yields, lots in shipments and findings, the newest first.
select change, key, old, new, at, note
  from facts.report_changes()
 order by kind_order, at desc nulls last, key
