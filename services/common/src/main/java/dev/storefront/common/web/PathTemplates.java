package dev.storefront.common.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * The route template a request path matched ({@code /api/products/{id}} for {@code /api/products/42}),
 * taken from the services' OpenAPI documents, which a test keeps equal to the registered routes.
 * Helidon 4.1 does not tell a filter which pattern matched, and a log or metric keyed by the raw path
 * would grow with every product id.
 */
public final class PathTemplates {
    /** A path no document names: shown as this, never as the raw path. */
    public static final String UNMATCHED = "other";

    private record Template(String template, Pattern pattern, int parameters) {
    }

    private final List<Template> templates;

    private PathTemplates(List<Template> templates) {
        // a literal segment beats a parameter: /api/orders/admin before /api/orders/{id}
        this.templates = templates.stream().sorted(Comparator.comparingInt(Template::parameters)).toList();
    }

    public static PathTemplates of(List<String> templates) {
        List<Template> list = new ArrayList<>();
        for (String t : templates) {
            StringBuilder regex = new StringBuilder();
            int parameters = 0;
            for (String segment : t.split("/", -1)) {
                if (!regex.isEmpty() || t.startsWith("/")) {
                    regex.append('/');
                }
                if (segment.startsWith("{") && segment.endsWith("}")) {
                    regex.append("[^/]+");
                    parameters++;
                } else {
                    regex.append(Pattern.quote(segment));
                }
            }
            list.add(new Template(t, Pattern.compile(regex.substring(1)), parameters));
        }
        return new PathTemplates(list);
    }

    /** The paths of the OpenAPI documents at these classpath locations (missing ones skipped). */
    @SuppressWarnings("unchecked")
    public static PathTemplates fromOpenApi(ClassLoader loader, List<String> resources) {
        List<String> paths = new ArrayList<>();
        for (String resource : resources) {
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    continue;
                }
                Map<String, Object> doc = new Yaml().load(in);
                Object documented = doc == null ? null : doc.get("paths");
                if (documented instanceof Map<?, ?> map) {
                    ((Map<String, Object>) map).keySet().forEach(paths::add);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return of(paths);
    }

    /** The template {@code path} matches, or {@link #UNMATCHED}. */
    public String match(String path) {
        for (Template t : templates) {
            if (t.pattern().matcher(path).matches()) {
                return t.template();
            }
        }
        return UNMATCHED;
    }
}
