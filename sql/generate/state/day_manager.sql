-- A day's planning revision in Manager (after manager.sql, only when a day is added to a live Manager): the
-- plan of the order begun a day before (72 units) grows by 500 kg and ends three days later, when Manager
-- holds that plan (a tenth of the orders are planned only in the planning file).
update order_plan
   set requirement = requirement + 500, plan_end = plan_end + 3
 where order_code = 'ORD-' || lpad(((greatest(current_setting('mtp.first_unit')::int - 72, 1) + 2) / 3)::text, 6, '0');
