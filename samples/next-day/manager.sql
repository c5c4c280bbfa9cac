-- The demo's next day, on Manager: the customer service desk corrects shipment 26106/1's quantity to the 825 kg
-- allocated to it, which resolves the quantity_mismatch finding open since the first workbook.
update order_shipment set quantity = 825 where request_code = 26106 and shipment_code = 1;
