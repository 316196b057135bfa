-- One cart per user; its lines hold a snapshot of the catalog's name and price.
CREATE TABLE carts (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cart_items (
    cart_id             uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id          uuid NOT NULL,
    name                text NOT NULL,
    unit_price          numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    currency            char(3) NOT NULL,
    quantity            integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
    -- set by a product event that changed the price; cleared when the shopper next views the cart
    price_changed       boolean NOT NULL DEFAULT false,
    previous_unit_price numeric(12,2),
    -- the catalog's updatedAt of the snapshot, so an older event arriving late is ignored
    catalog_updated_at  timestamptz,
    added_at            timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cart_id, product_id)
);
-- product events touch every cart holding the product
CREATE INDEX cart_items_product_idx ON cart_items (product_id);
