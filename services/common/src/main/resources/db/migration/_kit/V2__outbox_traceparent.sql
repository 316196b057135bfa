-- The W3C traceparent of the transaction that wrote the event: the relay publishes it in the
-- message's headers, so the consumer's span joins the writer's trace.
ALTER TABLE outbox ADD COLUMN traceparent text;
