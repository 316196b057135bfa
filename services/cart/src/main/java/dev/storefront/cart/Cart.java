package dev.storefront.cart;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/**
 * A shopper's cart as the API shows it. {@code itemCount} is the number of units (what a cart
 * badge shows), not the number of lines. An empty cart reports {@link #DEFAULT_CURRENCY}.
 */
public record Cart(UUID userId, List<Item> items, BigDecimal total, String currency, int itemCount) {
    public static final String DEFAULT_CURRENCY = "USD";

    /** One line: the catalog's name and price when it was added or last changed. */
    public record Item(UUID productId, String name, BigDecimal unitPrice, int quantity, BigDecimal lineTotal,
                       String currency, boolean priceChanged, BigDecimal previousUnitPrice) {
    }

    public static Cart of(UUID userId, List<Item> items) {
        BigDecimal total = items.stream().map(Item::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
        String currency = items.isEmpty() ? DEFAULT_CURRENCY : items.getFirst().currency();
        int count = items.stream().mapToInt(Item::quantity).sum();
        return new Cart(userId, items, total, currency, count);
    }
}
