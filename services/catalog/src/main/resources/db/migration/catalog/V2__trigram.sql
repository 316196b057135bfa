-- Typo-tolerant search where pg_trgm can be had (trusted extension since PostgreSQL 13; a role
-- without CREATE on the database cannot add it): without it, search is full-text only.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm unavailable (%): search stays full-text only', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops)';
    END IF;
END
$$;
