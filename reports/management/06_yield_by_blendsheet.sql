-- Yield per blendsheet, its batches' output over their input against the planned total, for the blendsheets
-- with a batch made or completed in the detail period (mtp.period_start .. mtp.report_date) or a batch still
-- open, or fewer batches made than planned.
with blendsheets as (
    select * from facts.blendsheet_yield
),
batches as (
    select * from facts.batch_yield
),
params as (
    select starts_at, ends_at from facts.report_period
),
active as (
    select distinct b.blendsheet_no
      from batches b
      cross join params p
     where b.created_at < p.ends_at
       and (not b.completed or b.created_at >= p.starts_at or (b.completed_at >= p.starts_at and b.completed_at < p.ends_at))
)
select s.blendsheet_no, s.blend_code, s.standard, s.grade, s.batches_planned, s.batches_made, s.batches_completed,
       s.planned_output_kg, s.input_kg, s.output_kg, s.output_vs_total_kg, s.yield_pct / 100,
       -- a batch still running has made only part of its output: no rating yet, unless already above 100 %
       case when s.batches_completed < s.batches_made and s.rating is distinct from 'Data error' then 'in progress' else s.rating end
  from blendsheets s
 where s.blendsheet_no in (select blendsheet_no from active)
    or (s.batches_made > 0 and s.batches_made < s.batches_planned)
 order by s.blendsheet_no desc
