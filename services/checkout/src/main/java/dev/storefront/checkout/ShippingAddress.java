package dev.storefront.checkout;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Validator;

/** Where an order ships: the contract's Address without its id and default flag. */
record ShippingAddress(String fullName, String line1, String line2, String city, String region,
                       String postalCode, String country, String phone) {

    void validate(Validator v, String prefix) {
        v.requiredText(prefix + "fullName", fullName, 120)
                .requiredText(prefix + "line1", line1, 200)
                .text(prefix + "line2", line2, 200)
                .requiredText(prefix + "city", city, 100)
                .text(prefix + "region", region, 100)
                .requiredText(prefix + "postalCode", postalCode, 20)
                .requiredText(prefix + "country", country, 56)
                .text(prefix + "phone", phone, 40);
    }

    /** A saved address as auth returns it (it carries id and isDefault, which an order does not need). */
    static ShippingAddress fromSaved(JsonNode a) {
        return new ShippingAddress(text(a, "fullName"), text(a, "line1"), text(a, "line2"), text(a, "city"),
                text(a, "region"), text(a, "postalCode"), text(a, "country"), text(a, "phone"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
