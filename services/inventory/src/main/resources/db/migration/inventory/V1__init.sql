-- Inventory: stock per product and the reservations that hold it for orders.

CREATE TABLE stock (
    product_id          uuid PRIMARY KEY,
    available           integer NOT NULL DEFAULT 0 CHECK (available >= 0),
    reserved            integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    sold                integer NOT NULL DEFAULT 0 CHECK (sold >= 0),
    low_stock_threshold integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    -- set when the low-stock event went out; cleared when stock rises above the threshold again
    low_stock_notified  boolean NOT NULL DEFAULT false,
    -- the product was deleted from the catalog: nothing more can be reserved
    retired             boolean NOT NULL DEFAULT false,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_low_idx ON stock (available, product_id) WHERE NOT retired AND available <= low_stock_threshold;

CREATE TABLE reservations (
    order_id       uuid PRIMARY KEY,
    state          text NOT NULL CHECK (state IN ('RESERVED', 'REJECTED', 'RELEASED', 'COMMITTED', 'RESTOCKED')),
    -- for REJECTED: the short lines, so a retry answers the same
    shortages      jsonb,
    release_reason text,
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
-- the expiry job looks only at live reservations
CREATE INDEX reservations_expiry_idx ON reservations (expires_at) WHERE state = 'RESERVED';

CREATE TABLE reservation_items (
    order_id   uuid NOT NULL REFERENCES reservations (order_id) ON DELETE CASCADE,
    product_id uuid NOT NULL,
    line       integer NOT NULL,
    quantity   integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, product_id)
);
