-- Raw events, one partition per UTC day (declarative partitioning): the partition job creates days
-- ahead and drops those older than the retention setting. Dashboards never read this table; it is the
-- record the rollups below were built from (and what a rebuild would replay).
CREATE TABLE events (
    id           uuid NOT NULL,
    occurred_at  timestamptz NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now(),
    type         text NOT NULL CHECK (type IN ('page_view', 'product_view', 'product_search', 'add_to_cart',
                                               'purchase', 'order_cancelled', 'order_refunded')),
    origin       text NOT NULL CHECK (origin IN ('client', 'bus')),
    user_id      uuid,
    session_id   text,
    product_id   uuid,
    query        text,
    result_count int,
    quantity     int,
    order_id     uuid,
    amount       numeric(12, 2),
    path         text,
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

-- Every event id accepted, whichever path brought it: a redelivery (the bus, a client's retry with the
-- same id, even with another occurredAt) never counts twice. Pruned with the partitions.
CREATE TABLE event_ids (
    id          uuid PRIMARY KEY,
    occurred_at timestamptz NOT NULL
);
CREATE INDEX event_ids_occurred_idx ON event_ids (occurred_at);

-- Rollups, maintained in the transaction that inserts the events. hour and day are the shop's local
-- time (storefront.analytics.time-zone), so a day is the shop's day, not UTC's.
CREATE TABLE product_hourly (
    hour       timestamp NOT NULL,
    product_id uuid NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    adds       bigint NOT NULL DEFAULT 0,
    purchases  bigint NOT NULL DEFAULT 0,
    revenue    numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, product_id)
);
CREATE TABLE product_daily (
    day        date NOT NULL,
    product_id uuid NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    adds       bigint NOT NULL DEFAULT 0,
    purchases  bigint NOT NULL DEFAULT 0,
    revenue    numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (day, product_id)
);
CREATE INDEX product_daily_product_idx ON product_daily (product_id, day);

-- query is normalised (lower case, trimmed, inner whitespace collapsed)
CREATE TABLE search_hourly (
    hour         timestamp NOT NULL,
    query        text NOT NULL,
    searches     bigint NOT NULL DEFAULT 0,
    zero_results bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (hour, query)
);
CREATE TABLE search_daily (
    day          date NOT NULL,
    query        text NOT NULL,
    searches     bigint NOT NULL DEFAULT 0,
    zero_results bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
);

CREATE TABLE shop_hourly (
    hour            timestamp PRIMARY KEY,
    sessions        bigint NOT NULL DEFAULT 0,
    cart_sessions   bigint NOT NULL DEFAULT 0,
    page_views      bigint NOT NULL DEFAULT 0,
    views           bigint NOT NULL DEFAULT 0,
    searches        bigint NOT NULL DEFAULT 0,
    adds            bigint NOT NULL DEFAULT 0,
    orders          bigint NOT NULL DEFAULT 0,
    revenue         numeric(14, 2) NOT NULL DEFAULT 0,
    cancelled       bigint NOT NULL DEFAULT 0,
    refunded        bigint NOT NULL DEFAULT 0
);
CREATE TABLE shop_daily (
    day             date PRIMARY KEY,
    sessions        bigint NOT NULL DEFAULT 0,
    cart_sessions   bigint NOT NULL DEFAULT 0,
    page_views      bigint NOT NULL DEFAULT 0,
    views           bigint NOT NULL DEFAULT 0,
    searches        bigint NOT NULL DEFAULT 0,
    adds            bigint NOT NULL DEFAULT 0,
    orders          bigint NOT NULL DEFAULT 0,
    revenue         numeric(14, 2) NOT NULL DEFAULT 0,
    cancelled       bigint NOT NULL DEFAULT 0,
    refunded        bigint NOT NULL DEFAULT 0
);

-- Distinct sessions per shop day (a shopper's user id, else the client's anonymous session id);
-- kind 'any' counts a session once, 'cart' once it added something (the add-to-cart rate).
CREATE TABLE session_days (
    day         date NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('any', 'cart')),
    session_key text NOT NULL,
    PRIMARY KEY (day, kind, session_key)
);
CREATE TABLE session_hours (
    hour        timestamp NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('any', 'cart')),
    session_key text NOT NULL,
    PRIMARY KEY (hour, kind, session_key)
);

-- Which vendor sells which product (from catalog's product events): vendors see only their own.
CREATE TABLE products (
    product_id uuid PRIMARY KEY,
    vendor_id  uuid,
    name       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_vendor_idx ON products (vendor_id);

-- Confirmed orders as counted, so a cancellation or refund takes back exactly what was added, once,
-- from the hour and day it was added to (whichever of the events arrives first).
CREATE TABLE counted_orders (
    order_id     uuid PRIMARY KEY,
    confirmed_at timestamptz,
    total        numeric(12, 2),
    items        jsonb,
    reversed     boolean NOT NULL DEFAULT false
);
