package dev.storefront.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Validator;

/**
 * The body of {@code POST /api/analytics/events}: {@code {"events": [...]}}, each event typed and checked
 * field by field (a 400 names the field, e.g. {@code events[3].productId}). Fields are read as text so
 * that a bad one is reported as that field, not as an unreadable body.
 */
record ClientBatch(List<Entry> events) {
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9_-]{8,64}");
    /** A client's clock may run a little fast; more than this ahead is a bad occurredAt. */
    private static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** Seed and short names of the types a client may send. purchase comes from confirmed orders only. */
    private static final Map<String, String> TYPES = Map.of(
            "page_view", AnalyticsEvent.PAGE_VIEW,
            "product_view", AnalyticsEvent.PRODUCT_VIEW, "view", AnalyticsEvent.PRODUCT_VIEW,
            "product_search", AnalyticsEvent.PRODUCT_SEARCH, "search", AnalyticsEvent.PRODUCT_SEARCH,
            "add_to_cart", AnalyticsEvent.ADD_TO_CART);

    record Entry(String id, String type, String occurredAt, String sessionId, String productId, String query,
                 Integer resultCount, Integer quantity, String path) {
    }

    /** The events, validated; {@code userId} is the logged-in shopper (null: anonymous, sessionId required). */
    List<AnalyticsEvent> validated(UUID userId, int maxBatch, Instant now) {
        if (events == null) {
            throw ApiException.invalidField("events", "is required");
        }
        if (events.isEmpty() || events.size() > maxBatch) {
            throw ApiException.invalidField("events", "must hold 1 to " + maxBatch + " events");
        }
        Validator v = new Validator();
        List<AnalyticsEvent> out = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            Entry e = events.get(i);
            String f = "events[" + i + "].";
            if (e == null) {
                v.add("events[" + i + "]", "must be an object");
                continue;
            }
            UUID id = uuid(v, f + "id", e.id(), true);
            String type = null;
            if (e.type() == null || e.type().isBlank()) {
                v.add(f + "type", "is required");
            } else if ("purchase".equals(e.type())) {
                v.add(f + "type", "purchase is counted from confirmed orders, not sent by clients");
            } else {
                type = TYPES.get(e.type());
                if (type == null) {
                    v.add(f + "type", "must be one of page_view, product_view, product_search, add_to_cart (or view, search)");
                }
            }
            Instant at = now;
            if (e.occurredAt() != null) {
                try {
                    at = Instant.parse(e.occurredAt());
                    if (at.isAfter(now.plus(MAX_AHEAD))) {
                        v.add(f + "occurredAt", "is in the future");
                    }
                } catch (DateTimeParseException ex) {
                    v.add(f + "occurredAt", "must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
                }
            }
            String session = e.sessionId();
            if (session != null && !SESSION.matcher(session).matches()) {
                v.add(f + "sessionId", "must be 8 to 64 letters, digits, - or _");
            } else if (session == null && userId == null) {
                v.add(f + "sessionId", "is required without a logged-in shopper");
            }
            UUID product = null;
            String query = null;
            Integer results = null;
            Integer quantity = null;
            String path = null;
            if (AnalyticsEvent.PRODUCT_VIEW.equals(type) || AnalyticsEvent.ADD_TO_CART.equals(type)) {
                product = uuid(v, f + "productId", e.productId(), true);
            } else if (e.productId() != null) {
                product = uuid(v, f + "productId", e.productId(), false);
            }
            // every field present is checked, whether or not the type uses it
            boolean search = AnalyticsEvent.PRODUCT_SEARCH.equals(type);
            if (search || e.query() != null) {
                v.text(f + "query", e.query(), 1000);
                query = AnalyticsEvent.normaliseQuery(e.query());
                if (query == null && search) {
                    v.add(f + "query", "is required for a search");
                } else if (query != null && query.length() > 200) {
                    v.add(f + "query", "must be at most 200 characters");
                }
            }
            if (e.resultCount() != null) {
                v.range(f + "resultCount", e.resultCount(), 0, 1_000_000);
                results = e.resultCount();
            } else if (search) {
                v.add(f + "resultCount", "is required for a search");
            }
            if (e.quantity() != null) {
                v.range(f + "quantity", e.quantity(), 1, 999);
            }
            if (AnalyticsEvent.ADD_TO_CART.equals(type)) {
                quantity = e.quantity() == null ? 1 : e.quantity();
            }
            boolean page = AnalyticsEvent.PAGE_VIEW.equals(type);
            if (page || e.path() != null) {
                path = e.path();
                if (path == null || path.isEmpty()) {
                    v.add(f + "path", "is required for a page view");
                } else if (!path.startsWith("/") || path.length() > 500 || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    v.add(f + "path", "must be a path starting with / of at most 500 printable characters");
                }
            }
            if (id != null && type != null) {
                out.add(new AnalyticsEvent(id, type, at, "client", userId, session, product, query, results, quantity, null, null, path));
            }
        }
        v.throwIfInvalid();
        return out;
    }

    private static UUID uuid(Validator v, String field, String raw, boolean required) {
        if (raw == null || raw.isEmpty()) {
            if (required) {
                v.add(field, "is required");
            }
            return null;
        }
        UUID id = Params.parseId(raw).orElse(null);
        if (id == null) {
            v.add(field, "must be a UUID");
        }
        return id;
    }
}
