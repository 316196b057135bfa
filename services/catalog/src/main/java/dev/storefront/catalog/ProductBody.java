package dev.storefront.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.storefront.common.web.Validator;

/**
 * The body of POST (all required fields) and PUT (only the fields present change) on
 * /api/products. {@code vendorId} may only be set by an admin. {@code gtin} (optional): a GTIN-8/12/13/14
 * with its check digit, which price feeds match by; an empty string means none (on PUT: clears it).
 */
public record ProductBody(String name, String description, BigDecimal price, String currency,
                          java.util.UUID categoryId, java.util.UUID vendorId, List<String> images,
                          Map<String, Object> attributes, String gtin) {
    private static final Pattern IMAGE_PATH = Pattern.compile("^/[A-Za-z0-9._~/%-]{1,500}$");

    public void validate(boolean creating) {
        Validator v = new Validator();
        if (creating) {
            v.requiredText("name", name, 200).required("price", price);
        } else {
            v.check(name == null || !name.isBlank(), "name", "must not be blank").text("name", name, 200);
        }
        v.text("description", description, 5000);
        if (price != null) {
            v.money("price", price);
        }
        v.currency("currency", currency);
        if (images != null) {
            v.size("images", images, 0, 10);
            for (int i = 0; i < images.size(); i++) {
                String image = images.get(i);
                if (image == null || !IMAGE_PATH.matcher(image).matches()) {
                    v.url("images[" + i + "]", image == null ? "" : image);
                }
            }
        }
        if (gtin != null && !gtin.isEmpty()) {
            String problem = dev.storefront.catalog.pricefeeds.Gtin.problem(gtin);
            v.check(problem == null, "gtin", problem);
        }
        if (attributes != null) {
            v.check(attributes.size() <= 50, "attributes", "must have at most 50 entries");
            attributes.forEach((key, value) -> {
                v.check(!key.isBlank() && key.length() <= 64, "attributes", "keys must be 1 to 64 characters");
                v.text("attributes", key, 64); // no control characters: PostgreSQL's jsonb refuses \u0000
                boolean scalar = value instanceof String s ? s.length() <= 500 : value instanceof Number || value instanceof Boolean;
                v.check(scalar, "attributes." + key, "must be a string (at most 500 characters), number or boolean");
                if (value instanceof String s) {
                    v.text("attributes." + key, s, 500);
                }
            });
        }
        v.throwIfInvalid();
    }
}
