package dev.storefront.analytics;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One event as stored: what happened ({@link #type}, one of the seed names {@code page_view},
 * {@code product_view}, {@code product_search}, {@code add_to_cart}, {@code purchase}, or
 * {@code order_cancelled} / {@code order_refunded}), when, to whom, and the fields of its type.
 */
record AnalyticsEvent(UUID id, String type, Instant occurredAt, String origin, UUID userId, String sessionId,
                      UUID productId, String query, Integer resultCount, Integer quantity, UUID orderId,
                      BigDecimal amount, String path) {
    static final String PAGE_VIEW = "page_view";
    static final String PRODUCT_VIEW = "product_view";
    static final String PRODUCT_SEARCH = "product_search";
    static final String ADD_TO_CART = "add_to_cart";
    static final String PURCHASE = "purchase";
    static final String ORDER_CANCELLED = "order_cancelled";
    static final String ORDER_REFUNDED = "order_refunded";

    /** Who it was, for distinct sessions: the shopper when logged in, else the client's session id. */
    String sessionKey() {
        if (userId != null) {
            return "u:" + userId;
        }
        return sessionId == null ? null : "s:" + sessionId;
    }

    /** Lower case, trimmed, inner whitespace collapsed: "Red  Shoes " and "red shoes" are one query. */
    static String normaliseQuery(String q) {
        if (q == null) {
            return null;
        }
        String n = q.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        return n.isEmpty() ? null : n;
    }
}
