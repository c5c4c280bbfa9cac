-- Yield per blendsheet: its batches' output over their input, against the planned total.
with blendsheets as (
    select * from facts.blendsheet_yield
)
select blendsheet_no, blend_code, standard, grade, batches_planned, batches_made, batches_completed, planned_output_kg,
       input_kg, output_kg, output_vs_total_kg, yield_pct / 100, rating
  from blendsheets
 order by blendsheet_no
