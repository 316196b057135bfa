package dev.storefront.catalog;

import java.text.Normalizer;
import java.util.Locale;
import java.util.UUID;

import dev.storefront.common.web.Validator;

/** The body of POST /api/categories; the slug is derived from the name when absent. */
public record CategoryBody(String name, String slug, UUID parentId, String description) {
    public static final String SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$";

    public String slugOrDerived() {
        return slug != null ? slug : slugify(name);
    }

    public void validate() {
        String s = name == null ? null : slugOrDerived();
        new Validator().requiredText("name", name, 100).text("description", description, 2000)
                .check(s == null || (s.length() <= 80 && s.matches(SLUG_PATTERN)), "slug",
                        "must be lowercase letters, digits and single dashes (at most 80)")
                .throwIfInvalid();
    }

    public static String slugify(String text) {
        String ascii = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
    }
}
