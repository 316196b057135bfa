package dev.storefront.notify;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One small template per kind of mail: a subject, a plain-text body and an HTML body with
 * {@code {{name}}} placeholders. Values are user data: the HTML body gets them escaped, the
 * subject gets them on one line. A list value renders as lines (text) or a list (HTML).
 */
public final class Templates {
    /** A mail ready to send. */
    public record Rendered(String subject, String text, String html) {
    }

    private record Template(String subject, String text, String html) {
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

    private static final Map<String, Template> TEMPLATES = Map.of(
            "welcome", new Template("Welcome to Storefront, {{name}}",
                    "Hi {{name}},\n\nyour Storefront account is ready. Happy shopping!\n",
                    "<p>Hi {{name}},</p><p>your Storefront account is ready. Happy shopping!</p>"),
            "order-confirmed", new Template("Your order {{orderId}} is confirmed",
                    "Hi {{name}},\n\nthank you for your order {{orderId}}.\n\n{{items}}\nTotal: {{total}} {{currency}}\n",
                    "<p>Hi {{name}},</p><p>thank you for your order <b>{{orderId}}</b>.</p>{{items}}"
                            + "<p>Total: <b>{{total}} {{currency}}</b></p>"),
            "order-shipped", new Template("Your order {{orderId}} has shipped",
                    "Hi {{name}},\n\nyour order {{orderId}} is on its way.\n",
                    "<p>Hi {{name}},</p><p>your order <b>{{orderId}}</b> is on its way.</p>"),
            "order-delivered", new Template("Your order {{orderId}} was delivered",
                    "Hi {{name}},\n\nyour order {{orderId}} was delivered. Enjoy!\n",
                    "<p>Hi {{name}},</p><p>your order <b>{{orderId}}</b> was delivered. Enjoy!</p>"),
            "order-cancelled", new Template("Your order {{orderId}} was cancelled",
                    "Hi {{name}},\n\nyour order {{orderId}} ({{total}} {{currency}}) was cancelled. {{note}}\n",
                    "<p>Hi {{name}},</p><p>your order <b>{{orderId}}</b> ({{total}} {{currency}}) was cancelled. {{note}}</p>"),
            "payment-failed", new Template("Payment for order {{orderId}} failed",
                    "Hi {{name}},\n\nthe payment of {{amount}} {{currency}} for order {{orderId}} failed: {{reason}}.\n",
                    "<p>Hi {{name}},</p><p>the payment of {{amount}} {{currency}} for order <b>{{orderId}}</b> failed: {{reason}}.</p>"),
            "payment-refunded", new Template("Refund for order {{orderId}}",
                    "Hi {{name}},\n\nwe refunded {{amount}} {{currency}} for order {{orderId}}.\n",
                    "<p>Hi {{name}},</p><p>we refunded {{amount}} {{currency}} for order <b>{{orderId}}</b>.</p>"),
            "low-stock", new Template("Low stock: product {{productId}}",
                    "Product {{productId}} is low on stock: {{available}} left (threshold {{lowStockThreshold}}).\n",
                    "<p>Product <b>{{productId}}</b> is low on stock: {{available}} left (threshold {{lowStockThreshold}}).</p>"),
            "message", new Template("{{subject}}",
                    "Hi {{name}},\n\n{{message}}\n",
                    "<p>Hi {{name}},</p><p>{{message}}</p>"));

    private Templates() {
    }

    public static Set<String> names() {
        return TEMPLATES.keySet();
    }

    /** Renders {@code name} with {@code values}; {@code subject} overrides the template's when given. */
    public static Rendered render(String name, Map<String, Object> values, String subject) {
        Template t = TEMPLATES.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no template " + name);
        }
        String renderedSubject = subject != null ? subject : fill(t.subject(), values, Templates::line);
        return new Rendered(line(renderedSubject), fill(t.text(), values, Templates::text), fill(t.html(), values, Templates::html));
    }

    private static String fill(String template, Map<String, Object> values, java.util.function.Function<Object, String> format) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : format.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            list.forEach(item -> sb.append("- ").append(item).append('\n'));
            return sb.toString();
        }
        return value.toString();
    }

    private static String html(Object value) {
        if (value instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("<ul>");
            list.forEach(item -> sb.append("<li>").append(escape(item.toString())).append("</li>"));
            return sb.append("</ul>").toString();
        }
        return escape(value.toString());
    }

    /** A subject is one line: no CR/LF from user data reaches a mail header. */
    private static String line(Object value) {
        return text(value).replaceAll("[\\r\\n]+", " ").strip();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
