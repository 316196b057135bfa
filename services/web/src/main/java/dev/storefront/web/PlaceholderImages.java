package dev.storefront.web;

import java.util.Locale;
import java.util.regex.Pattern;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The demo catalog's images ({@code /images/<slug>.svg}): drawn on request as a coloured tile
 * with the product's name, so a shop runs with pictures and without any image host.
 */
final class PlaceholderImages {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9-]{1,80}\\.svg");
    private static final String[] COLOURS = {"#0ea5e9", "#10b981", "#f59e0b", "#8b5cf6", "#ef4444", "#14b8a6", "#6366f1", "#ec4899"};

    private PlaceholderImages() {
    }

    static void serve(ServerRequest req, ServerResponse res) {
        String file = req.path().pathParameters().first("file").orElse("");
        if (!SLUG.matcher(file).matches()) {
            res.status(404).send();
            return;
        }
        String slug = file.substring(0, file.length() - 4);
        String colour = COLOURS[Math.floorMod(slug.hashCode(), COLOURS.length)];
        String label = title(slug);
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="600" height="450" viewBox="0 0 600 450">
                <rect width="600" height="450" fill="%s"/>
                <circle cx="480" cy="90" r="140" fill="#ffffff" fill-opacity="0.12"/>
                <text x="300" y="240" font-family="system-ui, sans-serif" font-size="%d" fill="#ffffff" text-anchor="middle">%s</text>
                </svg>""".formatted(colour, fontSize(label), label);
        res.header(HeaderNames.CONTENT_TYPE, "image/svg+xml");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        res.send(svg);
    }

    /** Large for short names, smaller for long ones so the label fits the 600 px tile. */
    private static int fontSize(String label) {
        return (int) Math.max(18, Math.min(40, 520 / (0.56 * Math.max(1, label.length()))));
    }

    /** "steel-water-bottle" -> "Steel Water Bottle" (only [a-z0-9-] ever reaches here, so no escaping is needed). */
    private static String title(String slug) {
        StringBuilder sb = new StringBuilder();
        for (String word : slug.split("-")) {
            if (!word.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : " ").append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
            }
        }
        return sb.length() > 44 ? sb.substring(0, 43) + "…" : sb.toString();
    }
}
