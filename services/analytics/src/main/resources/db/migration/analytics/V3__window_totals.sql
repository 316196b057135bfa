-- Running totals for the standard windows (storefront.analytics.windows: 24h, 7d, 30d by default): one
-- row per product (and per search query) that had activity in the window, so "popular", "trending" and
-- the dashboard's top products over a standard window read at most one row per product or query,
-- however many events each had. A window is every bucket (shop hour or day) from window_state.start on.
-- Ingest adds to them in the transaction that writes the hourly/daily rollups; when the start moves
-- (a new hour or day), the buckets that left are subtracted from the hourly/daily rollups, under an
-- advisory lock that ingest holds shared (WindowTotals), so each bucket is counted in a window exactly
-- while it is inside it.
CREATE TABLE window_state (
    name   text PRIMARY KEY,
    hourly boolean NOT NULL,
    start  timestamp NOT NULL
);
CREATE TABLE product_window (
    name       text NOT NULL,
    product_id uuid NOT NULL,
    views      bigint NOT NULL DEFAULT 0,
    adds       bigint NOT NULL DEFAULT 0,
    purchases  bigint NOT NULL DEFAULT 0,
    revenue    numeric(14, 2) NOT NULL DEFAULT 0,
    PRIMARY KEY (name, product_id)
);
CREATE TABLE search_window (
    name         text NOT NULL,
    query        text NOT NULL,
    searches     bigint NOT NULL DEFAULT 0,
    zero_results bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (name, query)
);
