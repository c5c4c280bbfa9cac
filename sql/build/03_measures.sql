-- Measures (DOMAIN.md): yield per batch and per blendsheet, receiving per tealine lot, balance per record,
-- fulfilment per order code.

-- The yield rating (seed 004, DOMAIN.md), defined once: each rating and the yields it covers, in percent. Above
-- 100 % is a data error, not excellent (DESIGN). The build rates batches and blendsheets by it, the Trends chart
-- draws its thresholds.
create table facts_next.yield_rating (rating, yield_range) as
values ('Data error', numrange(100, null, '()')),
       ('Excellent', numrange(95, 100, '[]')),
       ('Good', numrange(85, 95, '[)')),
       ('Fair', numrange(75, 85, '[)')),
       ('Poor', numrange(null, 75, '()'));

create table facts_next.batch_yield as
with inputs as (
    select batch_code, batch_ts, sum(kg) as input_kg
      from facts_next.edge_record_batch
     group by batch_code, batch_ts
),
outputs as (
    -- The last output bag's time: when a completed batch was completed (Central keeps no completion time).
    select batch_code, batch_ts, sum(kg) as output_kg, count(*) as output_bags, max(made_at) as last_output_at
      from facts_next.edge_batch_output
     group by batch_code, batch_ts
),
measured as (
    select b.item_code as batch_code, b.created_ts as batch_ts, b.created_at, b.blendsheet_no, b.completed,
           b.trader_status, coalesce(i.input_kg, 0) as input_kg, coalesce(o.output_kg, 0) as output_kg,
           coalesce(o.output_bags, 0) as output_bags, case when b.completed then o.last_output_at end as completed_at,
           case when i.input_kg > 0 then coalesce(o.output_kg, 0) / i.input_kg * 100 end as yield_exact
      from snapshot.blendsheet_batch b
      left join inputs i on i.batch_code = b.item_code and i.batch_ts = b.created_ts
      left join outputs o on o.batch_code = b.item_code and o.batch_ts = b.created_ts
)
select m.batch_code, m.batch_ts, m.created_at, m.blendsheet_no, m.completed, m.completed_at, m.trader_status, m.input_kg,
       m.output_kg, m.output_bags,
       round(m.yield_exact, 2) as yield_pct,
       m.input_kg - m.output_kg as loss_kg,
       r.rating,
       coalesce(m.yield_exact > 100, false) as above_100
  from measured m
  left join facts_next.yield_rating r on r.yield_range @> m.yield_exact;
create unique index on facts_next.batch_yield (batch_code, batch_ts);

create table facts_next.blendsheet_yield as
with batches as (
    select blendsheet_no, count(*) as batches_made, count(*) filter (where completed) as batches_completed,
           sum(input_kg) as input_kg, sum(output_kg) as output_kg
      from facts_next.batch_yield
     group by blendsheet_no
),
measured as (
    select s.blendsheet_no, s.standard, s.grade, s.blend_code, s.no_of_batches, s.total, b.batches_made, b.batches_completed,
           b.input_kg, b.output_kg,
           case when b.input_kg > 0 then b.output_kg / b.input_kg * 100 end as yield_exact
      from snapshot.blendsheet s
      left join batches b on b.blendsheet_no = s.blendsheet_no
)
select m.blendsheet_no, m.standard, m.grade, m.blend_code, coalesce(m.no_of_batches, 1) as batches_planned,
       coalesce(m.batches_made, 0) as batches_made, coalesce(m.batches_completed, 0) as batches_completed,
       m.total as planned_output_kg, coalesce(m.input_kg, 0) as input_kg, coalesce(m.output_kg, 0) as output_kg,
       coalesce(m.output_kg, 0) - m.total as output_vs_total_kg,
       round(m.yield_exact, 2) as yield_pct,
       r.rating
  from measured m
  left join facts_next.yield_rating r on r.yield_range @> m.yield_exact;
create unique index on facts_next.blendsheet_yield (blendsheet_no);

-- Actual ingredients against the planned recipe, per blendsheet and ingredient lot.
create table facts_next.blendsheet_ingredient as
with planned as (
    select m.blendsheet_no, 'tealine' as ingredient_kind, m.item_code, m.created_ts, m.no_of_bags * t.weight_per_bag as planned_kg
      from snapshot.blendsheet_mix_tealine m
      left join snapshot.tealine t on t.item_code = m.item_code and t.created_ts = m.created_ts
    union all
    select blendsheet_no, 'blendbalance', item_code, created_ts, weight
      from snapshot.blendsheet_mix_blendbalance
),
actual as (
    select y.blendsheet_no, e.record_kind as ingredient_kind, e.lot_code as item_code, e.lot_ts as created_ts, sum(e.kg) as actual_kg
      from facts_next.edge_record_batch e
      join facts_next.batch_yield y on y.batch_code = e.batch_code and y.batch_ts = e.batch_ts
     group by y.blendsheet_no, e.record_kind, e.lot_code, e.lot_ts
)
select coalesce(p.blendsheet_no, a.blendsheet_no) as blendsheet_no, coalesce(p.ingredient_kind, a.ingredient_kind) as ingredient_kind,
       coalesce(p.item_code, a.item_code) as item_code, coalesce(p.created_ts, a.created_ts) as created_ts,
       coalesce(p.planned_kg, 0) as planned_kg, coalesce(a.actual_kg, 0) as actual_kg,
       coalesce(a.actual_kg, 0) - coalesce(p.planned_kg, 0) as variance_kg
  from planned p
  full join actual a on a.blendsheet_no = p.blendsheet_no and a.ingredient_kind = p.ingredient_kind
                    and a.item_code = p.item_code and a.created_ts = p.created_ts;

create table facts_next.receiving as
with received as (
    select item_code, created_ts, count(*) as bags_received, sum(net_kg) as received_kg, min(received_at) as first_received_at
      from facts_next.record
     where record_kind = 'tealine'
     group by item_code, created_ts
)
select t.item_code, t.created_ts, t.created_at, t.garden, t.grade, t.invoice_no, t.broker, t.purchase_order,
       t.no_of_bags as bags_expected, coalesce(r.bags_received, 0) as bags_received,
       t.no_of_bags * t.weight_per_bag as expected_kg, coalesce(r.received_kg, 0) as received_kg,
       coalesce(r.received_kg, 0) - t.no_of_bags * t.weight_per_bag as variance_kg, r.first_received_at
  from snapshot.tealine t
  left join received r on r.item_code = t.item_code and r.created_ts = t.created_ts;
create unique index on facts_next.receiving (item_code, created_ts);

-- Allocated and remaining kg per record: shipment and blendsheet allocations (parcels refine shipments and
-- would count twice), as Central's scan_record() computes it.
create table facts_next.record_balance as
with allocated as (
    select barcode, sum(kg) as kg from facts_next.edge_record_shipment group by barcode
    union all
    select barcode, sum(kg) from facts_next.edge_record_batch group by barcode
),
totals as (
    select barcode, sum(kg) as allocated_kg from allocated group by barcode
)
select r.record_kind, r.barcode, r.item_code, r.created_ts, r.status, r.store_location, r.net_kg,
       coalesce(t.allocated_kg, 0) as allocated_kg, r.net_kg - coalesce(t.allocated_kg, 0) as remaining_kg
  from facts_next.record r
  left join totals t on t.barcode = r.barcode;
create unique index on facts_next.record_balance (barcode);

create table facts_next.order_fulfilment as
with codes as (
    select order_code from public.order_plan
    union select order_code from public.order_request
    union select order_code from public.order_schedule where order_code is not null
),
requested as (
    select order_code, sum(requirement) as requested_kg, count(*) as requests from public.order_request group by order_code
),
scheduled as (
    select order_code, sum(quantity) as scheduled_kg, sum(quantity) filter (where completed) as completed_kg
      from public.order_schedule group by order_code
),
allocated as (
    select s.order_code, sum(e.kg) as allocated_kg,
           sum(e.kg) filter (where s.dispatched_at is not null) as dispatched_kg
      from facts_next.edge_record_shipment e
      join facts_next.shipment s on s.request_code = e.request_code and s.shipment_code = e.shipment_code
     group by s.order_code
),
shipments as (
    select order_code, count(*) as shipments, count(dispatched_at) as shipments_dispatched,
           max(dispatched_at) as last_dispatched_at,
           (array_agg(latest_status order by dispatched_at desc nulls last, request_code desc, shipment_code desc))[1] as latest_status
      from facts_next.shipment
     group by order_code
)
select c.order_code, p.product_name, p.requirement as plan_requirement_kg, p.plan_start, p.plan_end,
       coalesce(r.requested_kg, 0) as requested_kg, coalesce(sc.scheduled_kg, 0) as scheduled_kg,
       coalesce(sc.completed_kg, 0) as completed_kg, coalesce(a.allocated_kg, 0) as allocated_kg,
       coalesce(a.dispatched_kg, 0) as dispatched_kg, coalesce(sh.shipments, 0) as shipments,
       coalesce(sh.shipments_dispatched, 0) as shipments_dispatched, sh.last_dispatched_at,
       case when sh.last_dispatched_at is null or p.plan_end is null then null
            else sh.last_dispatched_at < (p.plan_end + 1)::timestamptz end as on_time,
       sh.latest_status, p.order_code is not null as has_plan
  from codes c
  left join public.order_plan p on p.order_code = c.order_code
  left join requested r on r.order_code = c.order_code
  left join scheduled sc on sc.order_code = c.order_code
  left join allocated a on a.order_code = c.order_code
  left join shipments sh on sh.order_code = c.order_code;
create unique index on facts_next.order_fulfilment (order_code);
