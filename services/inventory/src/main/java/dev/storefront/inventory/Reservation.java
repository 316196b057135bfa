package dev.storefront.inventory;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A reservation as the internal routes answer it. State NONE: there is nothing for this order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reservation(UUID orderId, String state, List<Item> items, Instant expiresAt) {
    public record Item(UUID productId, int quantity) {
    }

    /** A line that could not be reserved: how many were asked for and how many there are. */
    public record Shortage(UUID productId, int requested, int available, @JsonInclude(JsonInclude.Include.NON_NULL) Integer line) {
    }

    public static Reservation none(UUID orderId) {
        return new Reservation(orderId, "NONE", null, null);
    }
}
