-- Price comparison: competitors' price feeds, the latest price each feed gives for each product,
-- and the GTIN a product is matched by (SKUs are the product attribute "sku").

-- GTIN-8, -12, -13 or -14 (the check digit is checked by the application); matched as 14 digits,
-- so a UPC-12 and the same item's EAN-13 / GTIN-14 find each other
ALTER TABLE products ADD COLUMN gtin text CHECK (gtin ~ '^([0-9]{8}|[0-9]{12,14})$');
CREATE INDEX products_gtin14_idx ON products (lpad(gtin, 14, '0')) WHERE gtin IS NOT NULL;
CREATE INDEX products_sku_idx ON products ((attributes ->> 'sku'));

CREATE TABLE price_feeds (
    id               uuid PRIMARY KEY,
    name             text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    url              text NOT NULL CHECK (url ~ '^https?://'),
    format           text NOT NULL CHECK (format IN ('JSON', 'CSV')),
    -- {matchBy: SKU|GTIN, key, price, currency?, items?}: which field of a row holds what
    mapping          jsonb NOT NULL,
    currency         char(3),
    interval_minutes int NOT NULL CHECK (interval_minutes BETWEEN 5 AND 10080),
    enabled          boolean NOT NULL DEFAULT true,
    next_fetch_at    timestamptz NOT NULL DEFAULT now(),
    -- a replica's claim on a fetch in progress: others skip the feed until claimed_until
    claim_token      uuid,
    claimed_until    timestamptz,
    last_attempt_at  timestamptz,
    last_outcome     text CHECK (last_outcome IN ('OK', 'FAILED')),
    last_success_at  timestamptz,
    last_error       text,
    last_error_at    timestamptz,
    rows_matched     int,
    rows_unmatched   int,
    rows_rejected    int,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX price_feeds_due_idx ON price_feeds (next_fetch_at) WHERE enabled;

-- the latest price per product and feed; a fetch that fails leaves these as they were
CREATE TABLE competitor_prices (
    feed_id    uuid NOT NULL REFERENCES price_feeds (id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    price      numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency   char(3) NOT NULL,
    fetched_at timestamptz NOT NULL,
    PRIMARY KEY (product_id, feed_id)
);
CREATE INDEX competitor_prices_feed_idx ON competitor_prices (feed_id);
