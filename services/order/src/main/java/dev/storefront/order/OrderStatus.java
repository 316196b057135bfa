package dev.storefront.order;

import java.util.Locale;
import java.util.Set;

/** The order status machine: Pending -> Confirmed -> Shipped -> Delivered; Pending|Confirmed -> Cancelled. */
public enum OrderStatus {
    PENDING, CONFIRMED, SHIPPED, DELIVERED, CANCELLED;

    /** The statuses an order may move to this one from (none for PENDING: orders start there). */
    public Set<OrderStatus> allowedFrom() {
        return switch (this) {
            case PENDING -> Set.of();
            case CONFIRMED -> Set.of(PENDING);
            case SHIPPED -> Set.of(CONFIRMED);
            case DELIVERED -> Set.of(SHIPPED);
            case CANCELLED -> Set.of(PENDING, CONFIRMED);
        };
    }

    /** storefront.order.created is the event of a new (pending) order; the others are named after the status. */
    public String eventType() {
        return "storefront.order." + (this == PENDING ? "created" : name().toLowerCase(Locale.ROOT));
    }

    public static java.util.Optional<OrderStatus> parse(String value) {
        if (value == null) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
