-- The service kit's own tables, present in every service database.

-- Events waiting to be published: written in the same transaction as the state change,
-- deleted by the relay once JetStream has acknowledged them.
CREATE TABLE outbox (
    id          uuid PRIMARY KEY,
    seq         bigserial NOT NULL,
    type        text NOT NULL,
    envelope    text NOT NULL,
    request_id  text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_seq_idx ON outbox (seq);

-- Event ids a consumer has applied, so a redelivered event is applied once.
CREATE TABLE processed_events (
    consumer     text NOT NULL,
    event_id     uuid NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
