-- Image objects to delete from the bucket, written in the same transaction as the change that orphaned them
-- (a product or an image deleted), so a crash between that commit and the S3 calls leaks nothing: the
-- catalog's image-cleanup job deletes what is due here and retries failures with a growing pause.
CREATE TABLE image_object_deletions (
    id              uuid PRIMARY KEY,
    object_key      text NOT NULL,
    attempts        int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX image_object_deletions_due_idx ON image_object_deletions (next_attempt_at);
