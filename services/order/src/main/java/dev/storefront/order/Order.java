package dev.storefront.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order as the API and its events show it. */
public record Order(UUID id, UUID userId, OrderStatus status, List<Item> items, BigDecimal subtotal, BigDecimal total,
                   String currency, ShippingAddress shippingAddress, List<StatusChange> statusHistory,
                   String paymentTransactionId, Instant createdAt, Instant updatedAt) {

    /** A line as it was bought: catalog's name and price at checkout. */
    public record Item(UUID productId, String name, BigDecimal unitPrice, int quantity, BigDecimal lineTotal) {
    }

    public record StatusChange(OrderStatus status, Instant at, String note) {
    }
}
