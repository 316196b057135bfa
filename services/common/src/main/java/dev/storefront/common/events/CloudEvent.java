package dev.storefront.common.events;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/** An integration event as it travels: a CloudEvents 1.0 JSON envelope. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CloudEvent(String specversion, UUID id, String source, String type, Instant time,
                         String datacontenttype, JsonNode data) {

    public static CloudEvent of(String service, String type, Object data) {
        return new CloudEvent("1.0", UUID.randomUUID(), "/storefront/" + service, type, Instant.now(),
                "application/json", Json.tree(data));
    }

    public <T> T dataAs(Class<T> type) {
        return Json.mapper().convertValue(data, type);
    }
}
