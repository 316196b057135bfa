package dev.storefront.common.web;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects every wrong field of a request, then throws one 400 listing them all.
 * <pre>
 * new Validator().required("name", body.name()).email("email", body.email()).throwIfInvalid();
 * </pre>
 */
public final class Validator {
    public static final BigDecimal MAX_MONEY = new BigDecimal("9999999999.99");
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}$");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");
    private static final Pattern CURRENCY = Pattern.compile("^[A-Z]{3}$");

    private final List<FieldError> errors = new ArrayList<>();

    public Validator add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean ok(String field) {
        return errors.stream().noneMatch(e -> e.field().equals(field));
    }

    public Validator check(boolean condition, String field, String message) {
        if (!condition) {
            add(field, message);
        }
        return this;
    }

    public Validator required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "is required");
        }
        return this;
    }

    /** Optional text: when present, at most {@code max} characters and no control characters. */
    public Validator text(String field, String value, int max) {
        if (value == null) {
            return this;
        }
        if (value.length() > max) {
            add(field, "must be at most " + max + " characters");
        } else if (CONTROL.matcher(value).find()) {
            add(field, "must not contain control characters");
        } else if (!wellFormed(value)) {
            add(field, "must be valid Unicode text");
        }
        return this;
    }

    /** False for a lone UTF-16 surrogate (JSON can carry one; the database would store it as '?'). */
    static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    public Validator requiredText(String field, String value, int max) {
        required(field, value);
        return value == null || value.isBlank() ? this : text(field, value, max);
    }

    public Validator email(String field, String value) {
        required(field, value);
        if (value != null && !value.isBlank() && (value.length() > 254 || !EMAIL.matcher(value).matches())) {
            add(field, "must be a valid email address");
        }
        return this;
    }

    public Validator range(String field, Number value, long min, long max) {
        if (value == null) {
            return required(field, null);
        }
        long v = value.longValue();
        if (v < min || v > max || (value instanceof Double d && d != Math.floor(d))) {
            add(field, "must be between " + min + " and " + max);
        }
        return this;
    }

    /** Exact money: >= 0, at most 2 decimals, below 10 billion. */
    public Validator money(String field, BigDecimal value) {
        if (value == null) {
            return required(field, null);
        }
        String problem = moneyProblem(value);
        if (problem != null) {
            add(field, problem);
        }
        return this;
    }

    public Validator currency(String field, String value) {
        if (value != null && !CURRENCY.matcher(value).matches()) {
            add(field, "must be a 3-letter ISO currency code such as USD");
        }
        return this;
    }

    public Validator oneOf(String field, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            add(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return this;
    }

    public Validator url(String field, String value) {
        if (value == null) {
            return this;
        }
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || value.length() > 2048) {
                add(field, "must be an http(s) URL");
            }
        } catch (Exception e) {
            add(field, "must be an http(s) URL");
        }
        return this;
    }

    public Validator size(String field, Collection<?> value, int min, int max) {
        int n = value == null ? 0 : value.size();
        if (n < min || n > max) {
            add(field, min == max ? "must have " + min + " entries" : "must have between " + min + " and " + max + " entries");
        }
        return this;
    }

    public List<FieldError> errors() {
        return List.copyOf(errors);
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }

    public static void checkMoney(String field, BigDecimal value) {
        String problem = moneyProblem(value);
        if (problem != null) {
            throw ApiException.invalidField(field, problem);
        }
    }

    private static String moneyProblem(BigDecimal value) {
        if (value.signum() < 0) {
            return "must not be negative";
        }
        if (value.stripTrailingZeros().scale() > 2) {
            return "must have at most 2 decimals";
        }
        if (value.compareTo(MAX_MONEY) > 0) {
            return "must be at most " + MAX_MONEY.toPlainString();
        }
        return null;
    }
}
