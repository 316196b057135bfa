-- Orders with a snapshot of what was bought; the status history records every change.
CREATE TABLE orders (
    id                     uuid PRIMARY KEY,
    user_id                uuid NOT NULL,
    -- checkout's key: the same key always yields the same order
    idempotency_key        text NOT NULL,
    -- SHA-256 of the create request, so a key reused for a different order is refused
    request_hash           text NOT NULL,
    status                 text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
    subtotal               numeric(12,2) NOT NULL CHECK (subtotal >= 0),
    total                  numeric(12,2) NOT NULL CHECK (total >= 0),
    currency               char(3) NOT NULL,
    shipping_address       jsonb NOT NULL,
    payment_transaction_id text,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX orders_idempotency_key_idx ON orders (idempotency_key);
CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC, id DESC);
CREATE INDEX orders_created_idx ON orders (created_at DESC, id DESC);
CREATE INDEX orders_status_created_idx ON orders (status, created_at DESC);

CREATE TABLE order_items (
    order_id   uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    integer NOT NULL,
    product_id uuid NOT NULL,
    name       text NOT NULL,
    unit_price numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_status_history (
    id       bigserial PRIMARY KEY,
    order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    status   text NOT NULL,
    note     text,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, id);
