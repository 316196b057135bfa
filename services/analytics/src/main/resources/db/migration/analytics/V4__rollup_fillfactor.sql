-- Every ingest adds to the same rollup rows again and again (UPDATE ... views + n). Where no index holds an
-- updated column, PostgreSQL can make that a heap-only update: the new row version on the same page, no index
-- entry written. That needs free room on the page, which the default fillfactor of 100 leaves none of.
-- (product_hourly and product_daily have covering indexes that hold their counters, so their updates write
-- index entries whatever the fillfactor.) Takes effect for pages written from now on.
ALTER TABLE product_window SET (fillfactor = 70);
ALTER TABLE search_window SET (fillfactor = 70);
ALTER TABLE search_hourly SET (fillfactor = 70);
ALTER TABLE search_daily SET (fillfactor = 70);
ALTER TABLE shop_hourly SET (fillfactor = 70);
ALTER TABLE shop_daily SET (fillfactor = 70);
