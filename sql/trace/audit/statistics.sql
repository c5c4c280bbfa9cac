-- The working tables' statistics, once they are filled, so that every sheet's query is planned on their sizes.
analyze trace_lot;
analyze trace_batch;
analyze trace_shipment;
