-- One row per order: the charge and what became of it. No card data: only the provider's
-- payment method id (e.g. pm_card_visa), which is a token, never a card number.
CREATE TABLE payments (
    id                  uuid PRIMARY KEY,
    order_id            uuid NOT NULL,
    user_id             uuid NOT NULL,
    amount              NUMERIC(12,2) NOT NULL CHECK (amount > 0),
    currency            char(3) NOT NULL,
    payment_method      text NOT NULL,
    status              text NOT NULL CHECK (status IN ('PENDING', 'COMPLETED', 'FAILED', 'REFUNDED')),
    provider            text NOT NULL,
    provider_payment_id text,
    provider_refund_id  text,
    idempotency_key     text NOT NULL,
    failure_reason      text,
    attempts            int NOT NULL DEFAULT 0,
    -- while set and in the future, one request is talking to the provider for this row
    locked_until        timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
-- one charge per order, whatever the number of concurrent or retried requests
CREATE UNIQUE INDEX payments_order_idx ON payments (order_id);
CREATE INDEX payments_provider_payment_idx ON payments (provider_payment_id);
CREATE INDEX payments_user_idx ON payments (user_id, created_at DESC);

-- Provider webhook events already applied: a redelivered event is applied once.
CREATE TABLE webhook_events (
    event_id    text PRIMARY KEY,
    type        text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
