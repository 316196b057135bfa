package dev.storefront.catalog.pricefeeds;

import java.net.URI;
import java.util.Set;

import dev.storefront.common.web.Validator;

/**
 * The body of POST (all required fields) and PUT (only the fields present change; the result is
 * validated whole) on /api/products/price-feeds.
 *
 * @param mapping         which field (JSON) or column (CSV) of a row holds the product key, the price
 *                        and the currency; for JSON also where the rows are
 * @param currency        the currency of every row, when the feed has no currency field
 * @param intervalMinutes how often the feed is fetched (5 minutes to a week)
 */
public record PriceFeedBody(String name, String url, String format, Mapping mapping, String currency,
                            Integer intervalMinutes, Boolean enabled) {
    public static final Set<String> FORMATS = Set.of("JSON", "CSV");
    public static final Set<String> MATCH_BY = Set.of("SKU", "GTIN");

    /**
     * @param matchBy  SKU (our product attribute "sku") or GTIN (the product's gtin)
     * @param key      the field holding the SKU or GTIN; for JSON a name, or a JSON Pointer such as /ids/ean
     * @param price    the field holding the price (a number, or text such as "12.50")
     * @param currency the field holding an ISO currency code, when the feed has one
     * @param items    (JSON only) a JSON Pointer to the array of rows; the document itself when absent
     */
    public record Mapping(String matchBy, String key, String price, String currency, String items) {
    }

    /** This body's fields over {@code current}'s (PUT). */
    public PriceFeedBody over(PriceFeed current) {
        return new PriceFeedBody(name != null ? name : current.name(), url != null ? url : current.url(),
                format != null ? format : current.format(), mapping != null ? mapping : current.mapping(),
                currency != null ? (currency.isEmpty() ? null : currency) : current.currency(),
                intervalMinutes != null ? intervalMinutes : current.intervalMinutes(),
                enabled != null ? enabled : current.enabled());
    }

    /** Checks a whole feed (a POST body, or a PUT body laid {@link #over} the stored feed). */
    public void validate() {
        Validator v = new Validator();
        v.requiredText("name", name, 100);
        v.required("url", url);
        if (url != null) {
            v.text("url", url, 2048).url("url", url);
            if (v.ok("url")) {
                URI uri = URI.create(url);
                v.check(uri.getRawUserInfo() == null, "url", "must not carry a user name or password");
                v.check(uri.getRawFragment() == null, "url", "must not have a fragment");
            }
        }
        v.required("format", format).oneOf("format", format, FORMATS);
        v.required("mapping", mapping);
        if (mapping != null) {
            v.required("mapping.matchBy", mapping.matchBy()).oneOf("mapping.matchBy", mapping.matchBy(), MATCH_BY);
            v.requiredText("mapping.key", mapping.key(), 100);
            v.requiredText("mapping.price", mapping.price(), 100);
            v.text("mapping.currency", mapping.currency(), 100);
            v.check(mapping.currency() == null || !mapping.currency().isBlank(), "mapping.currency", "must not be blank");
            v.text("mapping.items", mapping.items(), 200);
            if (mapping.items() != null) {
                v.check("JSON".equals(format), "mapping.items", "applies to JSON feeds only");
                v.check(mapping.items().startsWith("/"), "mapping.items", "must be a JSON Pointer such as /products");
            }
            if ("JSON".equals(format)) {
                pointer(v, "mapping.key", mapping.key());
                pointer(v, "mapping.price", mapping.price());
                pointer(v, "mapping.currency", mapping.currency());
            }
        }
        v.currency("currency", currency);
        if (mapping != null && mapping.currency() == null) {
            v.check(currency != null, "currency", "is required when mapping.currency is not given");
        }
        v.required("intervalMinutes", intervalMinutes);
        if (intervalMinutes != null) {
            v.range("intervalMinutes", intervalMinutes, 5, 10_080);
        }
        v.throwIfInvalid();
    }

    private static void pointer(Validator v, String field, String value) {
        if (value != null && value.startsWith("/") && v.ok(field)) {
            try {
                com.fasterxml.jackson.core.JsonPointer.compile(value);
            } catch (IllegalArgumentException e) {
                v.add(field, "is not a valid JSON Pointer");
            }
        }
    }
}
