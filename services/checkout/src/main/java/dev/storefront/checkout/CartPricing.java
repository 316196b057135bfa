package dev.storefront.checkout;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Params;

/**
 * Turns the shopper's cart into the order to create: every line re-priced from catalog (the cart's
 * price snapshot and the client are never trusted), one currency for all lines, and the address.
 */
final class CartPricing {
    /** Ids per catalog call: keeps the query line well under the server's prologue limit. */
    private static final int IDS_PER_CALL = 40;
    private static final int MAX_LINES = 200;
    private static final int MAX_QUANTITY = 10_000;

    private final ServiceContext ctx;
    private final SavedAddresses savedAddresses;

    CartPricing(ServiceContext ctx, SavedAddresses savedAddresses) {
        this.ctx = ctx;
        this.savedAddresses = savedAddresses;
    }

    OrderDraft price(UUID userId, String shopperToken, CheckoutRequest request) {
        ShippingAddress address = request.shippingAddress() != null ? request.shippingAddress()
                : savedAddresses.find(shopperToken, request.addressId());
        JsonNode cart = ctx.client("cart").get("/internal/cart/" + userId);
        JsonNode lines = cart == null ? null : cart.path("items");
        if (lines == null || !lines.isArray() || lines.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "The cart is empty", List.of(new FieldError("cart", "is empty")),
                    null, null);
        }
        if (lines.size() > MAX_LINES) {
            throw new ApiException(ErrorCode.CONFLICT, "The cart has more than " + MAX_LINES + " lines",
                    List.of(new FieldError("cart", "has more than " + MAX_LINES + " lines")), null, null);
        }
        Set<UUID> ids = new LinkedHashSet<>();
        for (JsonNode line : lines) {
            Params.parseId(line.path("productId").asText()).ifPresent(ids::add);
        }
        Map<UUID, JsonNode> products = products(new ArrayList<>(ids));

        List<FieldError> problems = new ArrayList<>();
        List<OrderDraft.Line> priced = new ArrayList<>();
        String currency = null;
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            String field = "items[" + i + "]";
            UUID productId = Params.parseId(line.path("productId").asText()).orElse(null);
            JsonNode product = productId == null ? null : products.get(productId);
            int quantity = line.path("quantity").asInt(0);
            if (product == null) {
                problems.add(new FieldError(field + ".productId", "is no longer for sale"));
                continue;
            }
            if (quantity < 1 || quantity > MAX_QUANTITY) {
                problems.add(new FieldError(field + ".quantity", "must be between 1 and " + MAX_QUANTITY));
                continue;
            }
            BigDecimal price = product.path("price").isNumber() ? product.path("price").decimalValue() : null;
            String lineCurrency = product.path("currency").asText("");
            if (price == null || price.signum() < 0 || price.stripTrailingZeros().scale() > 2
                    || !lineCurrency.matches("[A-Z]{3}")) {
                problems.add(new FieldError(field + ".productId", "has no valid price"));
                continue;
            }
            if (currency == null) {
                currency = lineCurrency;
            } else if (!currency.equals(lineCurrency)) {
                problems.add(new FieldError(field + ".currency", "is " + lineCurrency + " but the cart is priced in "
                        + currency + "; check out one currency at a time"));
                continue;
            }
            priced.add(new OrderDraft.Line(productId, product.path("name").asText(), price.setScale(2), quantity));
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.CONFLICT, "Some cart lines cannot be bought", problems, null, null);
        }
        return new OrderDraft(priced, currency, address);
    }

    private Map<UUID, JsonNode> products(List<UUID> ids) {
        Map<UUID, JsonNode> byId = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IDS_PER_CALL) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_CALL));
            JsonNode answer = ctx.client("catalog").get("/internal/catalog/products?ids="
                    + String.join(",", chunk.stream().map(UUID::toString).toList()));
            if (answer != null) {
                for (JsonNode p : answer) {
                    Params.parseId(p.path("id").asText()).ifPresent(id -> byId.put(id, p));
                }
            }
        }
        return byId;
    }
}
