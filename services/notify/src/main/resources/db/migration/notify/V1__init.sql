-- Every notification made, with what happened to it. The sender job sends PENDING rows;
-- without SMTP configured they are RECORDED (kept and listed, never sent).
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    user_id         uuid,
    recipient       text NOT NULL,
    channel         text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
    template        text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    body_html       text NOT NULL,
    status          text NOT NULL CHECK (status IN ('PENDING', 'SENT', 'FAILED', 'RECORDED')),
    attempts        int NOT NULL DEFAULT 0,
    last_error      text,
    -- the event it answers; one event never makes two mails to one recipient
    event_id        uuid,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE UNIQUE INDEX notifications_event_recipient_idx ON notifications (event_id, recipient);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at) WHERE status = 'PENDING';
