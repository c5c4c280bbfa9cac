-- build: every
-- Measures (DOMAIN.md): yield per batch (keyed by batch) and per blendsheet (by blendsheet), receiving per
-- tealine lot (by lot), fulfilment per order code (by order). Each bag's allocated and remaining kg are in
-- `record` (01); `record_balance` is the view of them the traces read (06).

select plan_for_scope();

-- part: yield_rating
-- The yield rating (seed 004, DOMAIN.md), defined once: each rating and the yields it covers, in percent. Above
-- 100 % is a data error, not excellent (DESIGN). The build rates batches and blendsheets by it, the Trends chart
-- draws its thresholds. A definition, not data: written once per schema.
create table if not exists yield_rating (rating text, yield_range numrange);
insert into yield_rating (rating, yield_range)
select rating, yield_range
  from (values ('Data error', numrange(100, null, '()')),
               ('Excellent', numrange(95, 100, '[]')),
               ('Good', numrange(85, 95, '[)')),
               ('Fair', numrange(75, 85, '[)')),
               ('Poor', numrange(null, 75, '()'))) as r (rating, yield_range)
 where not exists (select 1 from yield_rating);
select analyze_when_full('yield_rating');

-- part: batch_yield
create table if not exists batch_yield (
    batch_code text, batch_ts bigint, created_at timestamptz, blendsheet_no text, completed boolean, completed_at timestamptz,
    trader_status text, input_kg numeric, output_kg numeric, output_bags bigint, yield_pct numeric, loss_kg numeric,
    rating text, above_100 boolean
);
delete from batch_yield y using scope_batch s where y.batch_code = s.batch_code and y.batch_ts = s.batch_ts;
insert into batch_yield
with batches as (
    select b.item_code as batch_code, b.created_ts as batch_ts, b.created_at, b.blendsheet_no, b.completed, b.trader_status
      from snapshot.blendsheet_batch b
      join scope_batch s on s.batch_code = b.item_code and s.batch_ts = b.created_ts   -- in scope
),
-- Materialized, once per build: joined back to the batches on their two-column key, which the planner counts
-- as one row, it aggregated every batch's edges again for each batch (154 batches of a day: 0.4 s).
inputs as materialized (
    select e.batch_code, e.batch_ts, sum(e.kg) as input_kg
      from edge_record_batch e
      join scope_batch s using (batch_code, batch_ts)   -- in scope
     group by e.batch_code, e.batch_ts
),
outputs as materialized (
    -- The last output bag's time: when a completed batch was completed (Central keeps no completion time).
    select o.batch_code, o.batch_ts, sum(o.kg) as output_kg, count(*) as output_bags, max(o.made_at) as last_output_at
      from edge_batch_output o
      join scope_batch s using (batch_code, batch_ts)   -- in scope
     group by o.batch_code, o.batch_ts
),
measured as (
    select b.batch_code, b.batch_ts, b.created_at, b.blendsheet_no, b.completed,
           b.trader_status, coalesce(i.input_kg, 0) as input_kg, coalesce(o.output_kg, 0) as output_kg,
           coalesce(o.output_bags, 0) as output_bags, case when b.completed then o.last_output_at end as completed_at,
           case when i.input_kg > 0 then coalesce(o.output_kg, 0) / i.input_kg * 100 end as yield_exact
      from batches b
      left join inputs i on i.batch_code = b.batch_code and i.batch_ts = b.batch_ts
      left join outputs o on o.batch_code = b.batch_code and o.batch_ts = b.batch_ts
)
select m.batch_code, m.batch_ts, m.created_at, m.blendsheet_no, m.completed, m.completed_at, m.trader_status, m.input_kg,
       m.output_kg, m.output_bags,
       round(m.yield_exact, 2) as yield_pct,
       m.input_kg - m.output_kg as loss_kg,
       r.rating,
       coalesce(m.yield_exact > 100, false) as above_100
  from measured m
  left join yield_rating r on r.yield_range @> m.yield_exact;
select ensure_index($$create unique index batch_yield_batch on batch_yield (batch_code, batch_ts)$$);
select ensure_index($$create index batch_yield_blendsheet on batch_yield (blendsheet_no)$$);
select analyze_when_full('batch_yield');

-- part: blendsheet_yield
create table if not exists blendsheet_yield (
    blendsheet_no text, standard text, grade text, blend_code text, batches_planned integer, batches_made bigint,
    batches_completed bigint, planned_output_kg numeric, input_kg numeric, output_kg numeric, output_vs_total_kg numeric,
    yield_pct numeric, rating text
);
delete from blendsheet_yield y using scope_blendsheet s where y.blendsheet_no = s.blendsheet_no;
insert into blendsheet_yield
with sheets as (
    select b.* from snapshot.blendsheet b
      join scope_blendsheet s using (blendsheet_no)   -- in scope
),
batches as (
    select y.blendsheet_no, count(*) as batches_made, count(*) filter (where y.completed) as batches_completed,
           sum(y.input_kg) as input_kg, sum(y.output_kg) as output_kg
      from sheets s join batch_yield y using (blendsheet_no)
     group by y.blendsheet_no
),
measured as (
    select s.blendsheet_no, s.standard, s.grade, s.blend_code, s.no_of_batches, s.total, b.batches_made, b.batches_completed,
           b.input_kg, b.output_kg,
           case when b.input_kg > 0 then b.output_kg / b.input_kg * 100 end as yield_exact
      from sheets s
      left join batches b on b.blendsheet_no = s.blendsheet_no
)
select m.blendsheet_no, m.standard, m.grade, m.blend_code, coalesce(m.no_of_batches, 1) as batches_planned,
       coalesce(m.batches_made, 0) as batches_made, coalesce(m.batches_completed, 0) as batches_completed,
       m.total as planned_output_kg, coalesce(m.input_kg, 0) as input_kg, coalesce(m.output_kg, 0) as output_kg,
       coalesce(m.output_kg, 0) - m.total as output_vs_total_kg,
       round(m.yield_exact, 2) as yield_pct,
       r.rating
  from measured m
  left join yield_rating r on r.yield_range @> m.yield_exact;
select ensure_index($$create unique index blendsheet_yield_blendsheet on blendsheet_yield (blendsheet_no)$$);
select analyze_when_full('blendsheet_yield');

-- part: blendsheet_ingredient
-- Actual ingredients against the planned recipe, per blendsheet and ingredient lot. Keyed by blendsheet.
create table if not exists blendsheet_ingredient (
    blendsheet_no text, ingredient_kind text, item_code text, created_ts bigint, planned_kg numeric, actual_kg numeric,
    variance_kg numeric
);
delete from blendsheet_ingredient i using scope_blendsheet s where i.blendsheet_no = s.blendsheet_no;
insert into blendsheet_ingredient
with planned as (
    select m.blendsheet_no, 'tealine' as ingredient_kind, m.item_code, m.created_ts, m.no_of_bags * t.weight_per_bag as planned_kg
      from snapshot.blendsheet_mix_tealine m
      join scope_blendsheet s using (blendsheet_no)   -- in scope
      left join snapshot.tealine t on t.item_code = m.item_code and t.created_ts = m.created_ts
    union all
    select m.blendsheet_no, 'blendbalance', m.item_code, m.created_ts, m.weight
      from snapshot.blendsheet_mix_blendbalance m
      join scope_blendsheet s using (blendsheet_no)   -- in scope
),
actual as (
    -- From the batches' inputs by lot (batch_input, 02), not from every bag again.
    select y.blendsheet_no, i.record_kind as ingredient_kind, i.lot_code as item_code, i.lot_ts as created_ts, sum(i.kg) as actual_kg
      from scope_blendsheet s
      join batch_yield y using (blendsheet_no)
      join batch_input i on i.batch_code = y.batch_code and i.batch_ts = y.batch_ts
     group by y.blendsheet_no, i.record_kind, i.lot_code, i.lot_ts
)
select coalesce(p.blendsheet_no, a.blendsheet_no) as blendsheet_no, coalesce(p.ingredient_kind, a.ingredient_kind) as ingredient_kind,
       coalesce(p.item_code, a.item_code) as item_code, coalesce(p.created_ts, a.created_ts) as created_ts,
       coalesce(p.planned_kg, 0) as planned_kg, coalesce(a.actual_kg, 0) as actual_kg,
       coalesce(a.actual_kg, 0) - coalesce(p.planned_kg, 0) as variance_kg
  from planned p
  full join actual a on a.blendsheet_no = p.blendsheet_no and a.ingredient_kind = p.ingredient_kind
                    and a.item_code = p.item_code and a.created_ts = p.created_ts;
select ensure_index($$create index blendsheet_ingredient_blendsheet on blendsheet_ingredient (blendsheet_no)$$);
select ensure_index($$create index blendsheet_ingredient_lot on blendsheet_ingredient (item_code, created_ts)$$);
select analyze_when_full('blendsheet_ingredient');

-- part: receiving
-- Receiving per tealine lot. Keyed by lot.
create table if not exists receiving (
    item_code text, created_ts bigint, created_at timestamptz, garden text, grade text, invoice_no text, broker text,
    purchase_order text, bags_expected integer, bags_received bigint, expected_kg numeric, received_kg numeric,
    variance_kg numeric, first_received_at timestamptz
);
delete from receiving r using scope_lot s where r.item_code = s.item_code and r.created_ts = s.created_ts;
insert into receiving
with lots as (
    select t.* from snapshot.tealine t
      join scope_lot s using (item_code, created_ts)   -- in scope
),
-- The lots' bags, counted and weighed per lot in one aggregate (a full build's over every bag, not a probe of the
-- bags' index per lot: 1.7 s at two million bags, half of that this way). A join of lots with their bags on
-- the lot's two-column key is estimated at one row; plan_for_scope keeps that from becoming a nested loop over
-- every bag, and lets an incremental build's few lots use the index. Materialized: inlined, an incremental build
-- planned it as the inner side of a nested loop over its lots and aggregated every lot's bags again for each lot
-- (144 lots: 113 ms, where the aggregate once takes 4).
bags as materialized (
    select b.item_code, b.created_ts, count(*) as bags_received, sum(b.net_kg) as received_kg,
           min(b.received_at) as first_received_at
      from record b
      join scope_lot s using (item_code, created_ts)   -- in scope
     where b.record_kind = 'tealine'
     group by b.item_code, b.created_ts
)
select t.item_code, t.created_ts, t.created_at, t.garden, t.grade, t.invoice_no, t.broker, t.purchase_order,
       t.no_of_bags as bags_expected, coalesce(r.bags_received, 0) as bags_received,
       t.no_of_bags * t.weight_per_bag as expected_kg, coalesce(r.received_kg, 0) as received_kg,
       coalesce(r.received_kg, 0) - t.no_of_bags * t.weight_per_bag as variance_kg, r.first_received_at
  from lots t
  left join bags r on r.item_code = t.item_code and r.created_ts = t.created_ts;
select ensure_index($$create unique index receiving_lot on receiving (item_code, created_ts)$$);
select analyze_when_full('receiving');

-- part: order_fulfilment
-- Fulfilment per order code: planned, requested, scheduled, allocated and dispatched. Keyed by order.
create table if not exists order_fulfilment (
    order_code text, product_name text, plan_requirement_kg integer, plan_start date, plan_end date, requested_kg bigint,
    scheduled_kg bigint, completed_kg bigint, allocated_kg numeric, dispatched_kg numeric, shipments bigint,
    shipments_dispatched bigint, last_dispatched_at timestamptz, on_time boolean, latest_status text, has_plan boolean
);
delete from order_fulfilment o using scope_order s where o.order_code = s.order_code;
insert into order_fulfilment
with codes as (
    select s.order_code from scope_order s
     where exists (select 1 from seen_order_plan p where p.order_code = s.order_code)
        or exists (select 1 from seen_order_request q where q.order_code = s.order_code)
        or exists (select 1 from seen_order_schedule o where o.order_code = s.order_code)
),
requested as (
    select q.order_code, sum(q.requirement) as requested_kg, count(*) as requests
      from codes c join seen_order_request q using (order_code)
     group by q.order_code
),
scheduled as (
    select o.order_code, sum(o.quantity) as scheduled_kg, sum(o.quantity) filter (where o.completed) as completed_kg
      from codes c join seen_order_schedule o using (order_code)
     group by o.order_code
),
order_shipments as (
    select s.* from codes c join shipment s using (order_code)
),
allocated as (
    -- The shipments' own allocated kg (01), not every bag's allocation again.
    select s.order_code, sum(s.allocated_kg) as allocated_kg,
           sum(s.allocated_kg) filter (where s.dispatched_at is not null) as dispatched_kg
      from order_shipments s
     group by s.order_code
),
shipments as (
    select order_code, count(*) as shipments, count(dispatched_at) as shipments_dispatched,
           max(dispatched_at) as last_dispatched_at,
           (array_agg(latest_status order by dispatched_at desc nulls last, request_code desc, shipment_code desc))[1] as latest_status
      from order_shipments
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
  left join seen_order_plan p on p.order_code = c.order_code
  left join requested r on r.order_code = c.order_code
  left join scheduled sc on sc.order_code = c.order_code
  left join allocated a on a.order_code = c.order_code
  left join shipments sh on sh.order_code = c.order_code;
select ensure_index($$create unique index order_fulfilment_order on order_fulfilment (order_code)$$);
select analyze_when_full('order_fulfilment');
-- part: shipment_order
select ensure_index($$create index shipment_order on shipment (order_code)$$);
