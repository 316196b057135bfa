-- The trace context of the event that made the mail: the sender job's SMTP span joins that trace.
ALTER TABLE notifications ADD COLUMN traceparent text;
