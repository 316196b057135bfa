-- One row per checkout: the saga's progress, recorded before and after every call it makes,
-- so a crash at any point is resumed or compensated by whichever replica claims it next.
CREATE TABLE sagas (
    id               uuid PRIMARY KEY,
    user_id          uuid NOT NULL,
    idempotency_key  text NOT NULL,
    -- SHA-256 of the request body: the same key with another body is refused (422)
    request_hash     text NOT NULL,
    payment_method   text NOT NULL,
    -- the re-priced lines, currency and shipping address, fixed when the saga starts
    order_draft      jsonb NOT NULL,
    -- what is charged: the priced cart, then the total of the order that was created
    amount           numeric(12,2) NOT NULL CHECK (amount >= 0),
    currency         text NOT NULL,
    -- the last step that finished, and the call started after it (null when none is in flight)
    step             text NOT NULL DEFAULT 'CREATED'
        CHECK (step IN ('CREATED', 'ORDER_CREATED', 'STOCK_RESERVED', 'PAYMENT_CHARGED', 'COMPLETED',
                        'COMPENSATING', 'COMPENSATED')),
    action           text,
    -- what the shopper is told; decided before compensation finishes
    status           text NOT NULL DEFAULT 'IN_PROGRESS'
        CHECK (status IN ('IN_PROGRESS', 'COMPLETED', 'OUT_OF_STOCK', 'PAYMENT_FAILED', 'COMPENSATED')),
    order_id         uuid,
    transaction_id   uuid,
    charged          boolean NOT NULL DEFAULT false,
    failure_reason   text,
    failure_details  jsonb,
    last_error       text,
    attempts         integer NOT NULL DEFAULT 1,
    -- the lease: whoever holds lease_token may run the saga until locked_until
    lease_token      uuid,
    locked_until     timestamptz NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    CONSTRAINT sagas_user_key_unique UNIQUE (user_id, idempotency_key)
);

-- what recovery scans: sagas in flight whose lease ran out
CREATE INDEX sagas_in_flight_idx ON sagas (locked_until) WHERE step NOT IN ('COMPLETED', 'COMPENSATED');
