package dev.storefront.checkout;

import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;

/** The order a checkout asks for: lines priced from catalog, one currency, where to ship. */
record OrderDraft(List<Line> items, String currency, ShippingAddress shippingAddress) {

    record Line(UUID productId, String name, BigDecimal unitPrice, int quantity) {
        BigDecimal lineTotal() {
            return unitPrice.multiply(BigDecimal.valueOf(quantity));
        }
    }

    BigDecimal total() {
        return items.stream().map(Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
    }
}
