-- Whether each product can be bought, as last announced (storefront.inventory.availability_changed), and a per-product
-- version that grows by one at every change of it: consumers keep the highest version they saw, so a late redelivery of
-- an older event cannot flip the state back. Both change only with the row locked, in the transaction that changed
-- available or retired.
ALTER TABLE stock
    ADD COLUMN in_stock             boolean NOT NULL DEFAULT false,
    ADD COLUMN availability_version bigint  NOT NULL DEFAULT 0;
-- rows from before: their state as it is, not announced (a consumer's full load reads it from /internal/inventory/availability)
UPDATE stock SET in_stock = true, availability_version = 1 WHERE available > 0 AND NOT retired;
