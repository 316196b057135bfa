-- Catalog: a category tree and the products sold in it.

CREATE TABLE categories (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    slug        text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    parent_id   uuid REFERENCES categories (id),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
-- the recursive walk from a category to its sub-categories follows parent_id
CREATE INDEX categories_parent_idx ON categories (parent_id);

CREATE TABLE products (
    id          uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    price       numeric(12, 2) NOT NULL CHECK (price >= 0),
    currency    char(3) NOT NULL DEFAULT 'USD',
    category_id uuid REFERENCES categories (id),
    vendor_id   uuid NOT NULL,
    images      jsonb NOT NULL DEFAULT '[]',
    attributes  jsonb NOT NULL DEFAULT '{}',
    version     bigint NOT NULL DEFAULT 1,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    -- name weighs more than description in the ranking
    search      tsvector GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', name), 'A')
                    || setweight(to_tsvector('english', description), 'B')) STORED
);

-- one index per way of browsing 100,000 products: full text, category (+ price), price, newest, vendor
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_category_price_idx ON products (category_id, price, id);
CREATE INDEX products_category_created_idx ON products (category_id, created_at DESC, id);
CREATE INDEX products_price_idx ON products (price, id);
CREATE INDEX products_created_idx ON products (created_at DESC, id);
CREATE INDEX products_vendor_idx ON products (vendor_id);

-- Bumped in every transaction that changes a product: list ETags are built from it.
CREATE TABLE catalog_version (
    id      int PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO catalog_version (id, version) VALUES (1, 1);
