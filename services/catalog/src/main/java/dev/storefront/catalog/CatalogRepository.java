package dev.storefront.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of the catalog's SQL. */
public final class CatalogRepository {
    private static final String PRODUCT_COLUMNS = "p.id, p.name, p.description, p.price, p.currency, p.category_id, "
            + "c.slug AS category_slug, p.vendor_id, p.images::text AS images, p.attributes::text AS attributes, "
            + "p.media::text AS media, p.created_at, p.updated_at, p.version, p.gtin";
    private static final String SELECT_PRODUCT = "SELECT " + PRODUCT_COLUMNS
            + " FROM products p LEFT JOIN categories c ON c.id = p.category_id";

    private final Database db;
    private final boolean trigram;

    public CatalogRepository(Database db) {
        this.db = db;
        this.trigram = Database.count(db.execute(), "SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'") > 0;
    }

    public Database db() {
        return db;
    }

    /** Whether search also matches misspelt names (pg_trgm present). */
    public boolean typoTolerant() {
        return trigram;
    }

    public record PageResult(List<Product> items, long total) {
    }

    // ---- categories

    public List<Category> categories() {
        return Database.list(db.execute(), "SELECT id, name, slug, parent_id, description FROM categories ORDER BY slug",
                CatalogRepository::category);
    }

    public Category createCategory(DbExecute tx, UUID id, CategoryBody body) {
        try {
            return tx.get("INSERT INTO categories (id, name, slug, parent_id, description) VALUES (?, ?, ?, ?, ?) "
                            + "RETURNING id, name, slug, parent_id, description",
                    id, body.name().strip(), body.slugOrDerived(), body.parentId(), body.description())
                    .map(CatalogRepository::category).orElseThrow();
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) {
                throw ApiException.conflict("A category with slug '" + body.slugOrDerived() + "' already exists");
            }
            if ("23503".equals(Database.sqlState(e))) {
                throw ApiException.invalidField("parentId", "does not exist");
            }
            throw e;
        }
    }

    // ---- products

    public Optional<Product> product(UUID id) {
        return Database.one(db.execute(), SELECT_PRODUCT + " WHERE p.id = ?", CatalogRepository::product, id);
    }

    /** A product read inside a writing transaction. */
    public Product productIn(DbExecute tx, UUID id) {
        return Database.one(tx, SELECT_PRODUCT + " WHERE p.id = ?", CatalogRepository::product, id).orElseThrow();
    }

    public List<Product> products(List<UUID> ids) {
        String[] array = ids.stream().map(UUID::toString).toArray(String[]::new);
        return Database.list(db.execute(), SELECT_PRODUCT + " WHERE p.id = ANY(?::uuid[]) ORDER BY p.id",
                CatalogRepository::product, (Object) array);
    }

    /** Products in id order after {@code after} (null: from the start): a replica rebuilding its search index pages through them. */
    public List<Product> productsAfter(UUID after, int limit) {
        return Database.list(db.execute(), SELECT_PRODUCT + " WHERE p.id > ?::uuid ORDER BY p.id LIMIT ?",
                CatalogRepository::product, after == null ? new UUID(0, 0).toString() : after.toString(), limit);
    }

    /**
     * Lists products. A search is full-text first (GIN on the tsvector, fast at any size); only when
     * that finds nothing is it retried as a typo-tolerant name match with pg_trgm, whose
     * {@code <%} filter is too slow to OR into every search at 100,000 products.
     */
    public PageResult search(ProductQuery query) {
        if (query.q() == null) {
            return search(query, TextMatch.NONE);
        }
        PageResult fullText = search(query, TextMatch.FULL_TEXT);
        if (fullText.total() > 0 || !trigram) {
            return fullText;
        }
        // typo tolerance is for words the catalog does not know; a known word that the filters ruled out
        // (books above 115) stays empty instead of costing a trigram scan (15 ms at 100,000 products)
        boolean filtered = query.category() != null || query.minPrice() != null || query.maxPrice() != null;
        if (filtered && Database.one(db.execute(), "SELECT 1 FROM products WHERE search @@ websearch_to_tsquery('english', ?) LIMIT 1",
                r -> true, query.q()).isPresent()) {
            return fullText;
        }
        return search(query, TextMatch.SIMILAR_NAME);
    }

    private enum TextMatch { NONE, FULL_TEXT, SIMILAR_NAME }

    /** pagination.total is exact up to this many matches; at the cap it means "at least this many". */
    static final long MAX_COUNTED = 1_000;

    private PageResult search(ProductQuery query, TextMatch match) {
        // the filters other than the category: price range and text
        List<Object> filterParams = new ArrayList<>();
        StringBuilder filters = new StringBuilder();
        if (query.minPrice() != null) {
            filters.append(" AND p.price >= ?");
            filterParams.add(query.minPrice());
        }
        if (query.maxPrice() != null) {
            filters.append(" AND p.price <= ?");
            filterParams.add(query.maxPrice());
        }
        switch (match) {
            case FULL_TEXT -> {
                filters.append(" AND p.search @@ websearch_to_tsquery('english', ?)");
                filterParams.add(query.q());
            }
            case SIMILAR_NAME -> {
                filters.append(" AND ? <% p.name");
                filterParams.add(query.q());
            }
            case NONE -> {
                // no text filter
            }
        }
        String[] categories = null;
        List<Object> params = new ArrayList<>();
        String where = " WHERE true" + filters;
        if (query.category() != null) {
            // the subtree as known ids, not a recursive CTE: the planner then sees how few rows a
            // category holds and walks its (category_id, price) index instead of the whole price index
            categories = categoryTree(query.category());
            if (categories.length == 0) {
                return new PageResult(List.of(), 0);
            }
            where = " WHERE p.category_id = ANY(?::uuid[])" + filters;
            params.add(categories);
        }
        params.addAll(filterParams);
        if (query.sort().equals("relevance")) {
            return ranked(query, match, where, params);
        }
        long total = countCapped(where, params);
        if (total == 0) {
            return new PageResult(List.of(), 0);
        }
        String order = switch (query.sort()) {
            case "price_asc" -> "p.price ASC, p.id";
            case "price_desc" -> "p.price DESC, p.id";
            case "name_asc" -> "lower(p.name) ASC, p.id";
            default -> "p.created_at DESC, p.id";
        };
        List<Object> all = new ArrayList<>(params); // with a category, its array comes first: ANY(?) or unnest(?)
        String sql;
        if (categories != null && !query.sort().equals("name_asc")) {
            // the first offset+limit of each category from its own ordered (category_id, price|created_at)
            // index, then merged. Given "category_id = ANY(...)" the planner walked the whole price index
            // instead (62,000 rows, 41 ms, for a category whose products are dear)
            sql = "SELECT " + PRODUCT_COLUMNS + " FROM unnest(?::uuid[]) AS tree(id) CROSS JOIN LATERAL ("
                    + "SELECT p.* FROM products p WHERE p.category_id = tree.id" + filters
                    + " ORDER BY " + order + " LIMIT ?) p LEFT JOIN categories c ON c.id = p.category_id";
            all.add(query.page().offset() + query.page().limit());
        } else {
            sql = SELECT_PRODUCT + where;
        }
        all.add(query.page().limit());
        all.add(query.page().offset());
        sql += " ORDER BY " + order + " LIMIT ? OFFSET ?";
        return new PageResult(Database.list(db.execute(), sql, CatalogRepository::product, all.toArray()), total);
    }

    /** How many products match, counting no further than {@link #MAX_COUNTED} + 1. */
    private long countCapped(String where, List<Object> params) {
        // an exact count of 60,000 matches costs ~100 ms at 100,000 products; counting stops at the cap
        return Math.min(MAX_COUNTED, Database.count(db.execute(), "SELECT count(*) FROM (SELECT 1 FROM products p"
                + where + " LIMIT " + (MAX_COUNTED + 1) + ") counted", params.toArray()));
    }

    /**
     * A search sorted by relevance, in one statement: the matches are taken once (at most
     * {@link #MAX_COUNTED} + 1 of them, which is also the count) and the page is ranked among them.
     * Ranking every match cost time in proportion to the catalog (a common word matches 8% of
     * 100,000 products: 23 ms to rank them); a search that broad is narrowed by its shopper anyway.
     */
    private PageResult ranked(ProductQuery query, TextMatch match, String where, List<Object> params) {
        String rank = match == TextMatch.SIMILAR_NAME ? "word_similarity(?, p.name)"
                : "ts_rank(p.search, websearch_to_tsquery('english', ?))";
        // the page is cut from the ranked ids before the products are read: reading all 1,001 matches' rows
        // and categories first was a third of the statement (17 -> 11 ms for a common word at 100,000 products)
        String sql = "WITH matches AS MATERIALIZED (SELECT p.id, p.created_at, " + rank + " AS rank FROM products p" + where
                + " LIMIT " + (MAX_COUNTED + 1) + "), "
                + "page AS (SELECT * FROM matches ORDER BY rank DESC, created_at DESC, id LIMIT ? OFFSET ?) "
                + "SELECT (SELECT count(*) FROM matches) AS matched, " + PRODUCT_COLUMNS
                + " FROM page m JOIN products p ON p.id = m.id LEFT JOIN categories c ON c.id = p.category_id"
                + " ORDER BY m.rank DESC, m.created_at DESC, m.id";
        List<Object> all = new ArrayList<>();
        all.add(query.q());
        all.addAll(params);
        all.add(query.page().limit());
        all.add(query.page().offset());
        long[] matched = {-1};
        List<Product> items = Database.list(db.execute(), sql, r -> {
            matched[0] = Rows.longValue(r, "matched");
            return product(r);
        }, all.toArray());
        long total = matched[0] >= 0 ? Math.min(MAX_COUNTED, matched[0])
                : query.page().offset() == 0 ? 0 : countCapped(where, params); // a page past the end
        return new PageResult(items, total);
    }

    /** The ids of a category and all below it; empty when no category has that slug. */
    private String[] categoryTree(String slug) {
        return Database.list(db.execute(), "WITH RECURSIVE subtree AS (SELECT id FROM categories WHERE slug = ? "
                        + "UNION ALL SELECT c.id FROM categories c JOIN subtree s ON c.parent_id = s.id) SELECT id FROM subtree",
                r -> Rows.uuid(r, "id").toString(), slug).toArray(String[]::new);
    }

    public Product create(DbExecute tx, UUID id, UUID vendorId, ProductBody body) {
        String sql = "WITH p AS (INSERT INTO products (id, name, description, price, currency, category_id, vendor_id, images, attributes, gtin) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?) RETURNING *) "
                + "SELECT " + PRODUCT_COLUMNS + " FROM p LEFT JOIN categories c ON c.id = p.category_id";
        return withCategoryCheck(() -> tx.get(sql, id, body.name().strip(), orEmpty(body.description()), body.price(),
                body.currency() == null ? "USD" : body.currency(), body.categoryId(), vendorId,
                Json.write(body.images() == null ? List.of() : body.images()),
                Json.write(body.attributes() == null ? Map.of() : body.attributes()),
                body.gtin() == null || body.gtin().isEmpty() ? null : body.gtin())
                .map(CatalogRepository::product).orElseThrow());
    }

    /**
     * Changes the fields present in {@code body}, in one statement that also checks the owner:
     * {@code ownerOnly} null means an admin. Empty when nothing matched (missing or not the owner).
     */
    public Optional<Product> update(DbExecute tx, UUID id, UUID ownerOnly, ProductBody body) {
        String sql = "WITH p AS (UPDATE products SET name = coalesce(?, name), description = coalesce(?, description), "
                + "price = coalesce(?, price), currency = coalesce(?, currency), category_id = coalesce(?, category_id), "
                + "vendor_id = coalesce(?, vendor_id), images = coalesce(?::jsonb, images), "
                + "attributes = coalesce(?::jsonb, attributes), gtin = CASE WHEN ?::text IS NULL THEN gtin ELSE nullif(?::text, '') END, "
                + "version = version + 1, updated_at = now() "
                + "WHERE id = ? AND (?::uuid IS NULL OR vendor_id = ?::uuid) RETURNING *) "
                + "SELECT " + PRODUCT_COLUMNS + " FROM p LEFT JOIN categories c ON c.id = p.category_id";
        return withCategoryCheck(() -> tx.get(sql, body.name() == null ? null : body.name().strip(), body.description(),
                body.price(), body.currency(), body.categoryId(), body.vendorId(),
                body.images() == null ? null : Json.write(body.images()),
                body.attributes() == null ? null : Json.write(body.attributes()), body.gtin(), body.gtin(),
                id, ownerOnly, ownerOnly).map(CatalogRepository::product));
    }

    /** Deletes when the caller may ({@code ownerOnly} null means an admin); true when a row went. */
    public boolean delete(DbExecute tx, UUID id, UUID ownerOnly) {
        return tx.dml("DELETE FROM products WHERE id = ? AND (?::uuid IS NULL OR vendor_id = ?::uuid)", id, ownerOnly, ownerOnly) == 1;
    }

    public Optional<UUID> vendorOf(UUID id) {
        return Database.one(db.execute(), "SELECT vendor_id FROM products WHERE id = ?", r -> Rows.uuid(r, "vendor_id"), id);
    }

    /** Bumps the catalog version inside a writing transaction; list ETags change with it. */
    public long bumpVersion(DbExecute tx) {
        return tx.get("UPDATE catalog_version SET version = version + 1 WHERE id = 1 RETURNING version")
                .map(r -> Rows.longValue(r, "version")).orElseThrow();
    }

    public long version() {
        return Database.count(db.execute(), "SELECT version FROM catalog_version WHERE id = 1");
    }

    public long productCount() {
        return Database.count(db.execute(), "SELECT count(*) FROM products");
    }

    private static <T> T withCategoryCheck(java.util.function.Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if ("23503".equals(Database.sqlState(e))) {
                throw ApiException.invalidField("categoryId", "does not exist");
            }
            throw e;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    static Category category(DbRow r) {
        return new Category(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.string(r, "slug"),
                Rows.uuid(r, "parent_id"), Rows.string(r, "description"));
    }

    static Product product(DbRow r) {
        return new Product(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.string(r, "description"),
                Rows.decimal(r, "price"), Rows.string(r, "currency"), Rows.uuid(r, "category_id"),
                Rows.string(r, "category_slug"), Rows.uuid(r, "vendor_id"),
                json(Rows.string(r, "images"), IMAGES), json(Rows.string(r, "attributes"), ATTRIBUTES),
                json(Rows.string(r, "media"), MEDIA),
                Rows.instant(r, "created_at"), Rows.instant(r, "updated_at"), Rows.longValue(r, "version"),
                Rows.string(r, "gtin"));
    }

    private static final TypeReference<List<String>> IMAGES = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> ATTRIBUTES = new TypeReference<>() { };
    private static final TypeReference<List<dev.storefront.catalog.images.ProductImage>> MEDIA = new TypeReference<>() { };

    private static <T> T json(String text, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(text, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Unreadable JSON column: " + e.getMessage(), e);
        }
    }
}
