-- Uploaded product images: one row per image, its variants' URLs (the object keys are the URLs less "/api/").
-- products.media (the rows as the wire shows them) and products.images (the full-size URLs) are copies
-- rewritten in the same transaction, so a product page stays one row.

CREATE TABLE product_images (
    id            uuid PRIMARY KEY,
    product_id    uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position      int NOT NULL CHECK (position >= 0),
    is_primary    boolean NOT NULL DEFAULT false,
    width         int NOT NULL CHECK (width > 0),
    height        int NOT NULL CHECK (height > 0),
    source_format text NOT NULL CHECK (source_format IN ('jpeg', 'png', 'webp')),
    variants      jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_images_product_idx ON product_images (product_id, position);
CREATE UNIQUE INDEX product_images_one_primary_idx ON product_images (product_id) WHERE is_primary;

ALTER TABLE products ADD COLUMN media jsonb NOT NULL DEFAULT '[]';
