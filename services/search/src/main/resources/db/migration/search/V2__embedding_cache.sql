-- Product embeddings, kept across restarts and shared by every replica (EmbeddingCache): a rebuild embeds only
-- products whose text changed. text_key = SHA-256 of the model's name and the embedded text; vector = 384 float32,
-- little-endian.
CREATE TABLE embeddings (
    product_id uuid PRIMARY KEY,
    text_key   bytea NOT NULL,
    vector     bytea NOT NULL,
    stored_at  timestamptz NOT NULL DEFAULT now()
);
