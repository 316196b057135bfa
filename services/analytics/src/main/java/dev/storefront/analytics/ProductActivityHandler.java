package dev.storefront.analytics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.events.EventHandler;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbTransaction;

/**
 * Catalog's batches of product views and searches ({@code storefront.product.activity}: {@code
 * {"events": [{"id", "type": "product_view"|"product_search", "productId", "query", "resultCount",
 * "sessionId", "occurredAt"}]}}). The consumer runs each batch once; an entry in two batches (the same id and
 * time) is stored and counted once; an entry that does not parse is skipped (catalog wrote it; nothing to ask back).
 */
final class ProductActivityHandler extends EventHandler {
    private static final System.Logger LOG = System.getLogger(ProductActivityHandler.class.getName());
    private final AnalyticsRepository repo;

    ProductActivityHandler(AnalyticsRepository repo) {
        super("activity", List.of("storefront.product.activity"));
        this.repo = repo;
    }

    @Override
    public void apply(DbTransaction tx, CloudEvent event) {
        JsonNode entries = event.data() == null ? null : event.data().get("events");
        if (entries == null || !entries.isArray()) {
            return;
        }
        List<AnalyticsEvent> events = new ArrayList<>();
        for (JsonNode e : entries) {
            AnalyticsEvent parsed = parse(e, event.time());
            if (parsed != null) {
                events.add(parsed);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Skipping a malformed entry of activity batch " + event.id());
            }
        }
        if (!events.isEmpty()) {
            repo.ingestFromBus(tx, events);
        }
    }

    private static AnalyticsEvent parse(JsonNode e, Instant fallback) {
        UUID id = Params.parseId(e.path("id").asText("")).orElse(null);
        if (id == null) {
            return null;
        }
        Instant at = fallback == null ? Instant.now() : fallback;
        if (e.hasNonNull("occurredAt")) {
            try {
                at = Instant.parse(e.get("occurredAt").asText());
            } catch (DateTimeParseException ex) {
                return null;
            }
        }
        String session = e.hasNonNull("sessionId") ? e.get("sessionId").asText() : null;
        UUID user = Params.parseId(e.path("userId").asText("")).orElse(null);
        switch (e.path("type").asText("")) {
            case AnalyticsEvent.PRODUCT_VIEW -> {
                UUID product = Params.parseId(e.path("productId").asText("")).orElse(null);
                return product == null ? null : new AnalyticsEvent(id, AnalyticsEvent.PRODUCT_VIEW, at, "bus", user, session,
                        product, null, null, null, null, null, null);
            }
            case AnalyticsEvent.PRODUCT_SEARCH -> {
                String q = AnalyticsEvent.normaliseQuery(e.path("query").asText(""));
                if (q == null || q.length() > 200 || !e.path("resultCount").canConvertToInt()) {
                    return null;
                }
                return new AnalyticsEvent(id, AnalyticsEvent.PRODUCT_SEARCH, at, "bus", user, session, null, q,
                        e.get("resultCount").asInt(), null, null, null, null);
            }
            default -> {
                return null;
            }
        }
    }
}
