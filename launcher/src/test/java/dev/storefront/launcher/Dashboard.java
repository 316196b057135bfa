package dev.storefront.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The chart's Grafana dashboard as a test reads it: the metric names its PromQL queries use. */
final class Dashboard {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset");

    private Dashboard() {
    }

    static JsonNode read() throws IOException {
        Path file = Path.of("..", "charts", "storefront-operator", "dashboards", "storefront.json");
        return new ObjectMapper().readTree(Files.readString(file));
    }

    /** Metric names in every panel's queries (rows' panels too) and in the template variables' label_values(). */
    static Set<String> queriedMetrics(JsonNode dashboard) {
        Set<String> metrics = new TreeSet<>();
        for (JsonNode expr : dashboard.findValues("expr")) {
            metrics.addAll(metricsIn(expr.asText()));
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            String query = variable.path("query").isObject() ? variable.path("query").path("query").asText() : variable.path("query").asText();
            Matcher m = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)").matcher(query);
            if (m.find()) {
                metrics.add(m.group(1));
            }
        }
        return metrics;
    }

    /** The metric names of one PromQL expression: identifiers that are not functions, keywords, labels or numbers. */
    static Set<String> metricsIn(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "\"\"")   // label values
                .replaceAll("\\{[^}]*}", "")                     // label matchers
                .replaceAll("\\[[^\\]]*]", "")                   // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", ""); // label lists
        Set<String> metrics = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            int next = m.end();
            while (next < bare.length() && Character.isWhitespace(bare.charAt(next))) {
                next++;
            }
            boolean function = next < bare.length() && bare.charAt(next) == '(';
            boolean variable = m.start() > 0 && bare.charAt(m.start() - 1) == '$';
            if (!function && !variable && !PROMQL_WORDS.contains(word)) {
                metrics.add(word);
            }
        }
        return metrics;
    }

    /** Per metric selected with label matchers ({@code name{service=~"$service"}}) in the dashboard's queries: those labels. */
    static java.util.Map<String, Set<String>> matchedLabels(JsonNode dashboard) {
        java.util.Map<String, Set<String>> labels = new java.util.TreeMap<>();
        Pattern selector = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\{([^}]*)}");
        Pattern matcher = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)");
        for (JsonNode expr : dashboard.findValues("expr")) {
            Matcher m = selector.matcher(expr.asText().replaceAll("\"[^\"]*\"", "\"\""));
            while (m.find()) {
                Matcher l = matcher.matcher(m.group(2));
                while (l.find()) {
                    labels.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(l.group(1));
                }
            }
        }
        return labels;
    }

    /** The label names the samples of {@code metric} carry in a Prometheus text exposition. */
    static Set<String> labelsOf(String scrape, String metric) {
        Set<String> labels = new TreeSet<>();
        Pattern label = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"");
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{")) {
                Matcher m = label.matcher(line.substring(metric.length(), line.indexOf('}') + 1));
                while (m.find()) {
                    labels.add(m.group(1));
                }
            }
        }
        return labels;
    }

    /** The metric names of a Prometheus text exposition. */
    static Set<String> metricNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = IDENTIFIER.matcher(line);
            if (m.lookingAt()) {
                names.add(m.group());
            }
        }
        return names;
    }
}
