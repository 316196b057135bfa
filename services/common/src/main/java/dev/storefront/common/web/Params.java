package dev.storefront.common.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.webserver.http.ServerRequest;

/** Query and path parameters parsed strictly: a wrong one is a 400 naming it, never a 500. */
public final class Params {
    private Params() {
    }

    public static Optional<String> query(ServerRequest req, String name) {
        return req.query().first(name).asOptional().map(String::trim).filter(s -> !s.isEmpty());
    }

    public static int intParam(ServerRequest req, String name, int defaultValue, int min, int max) {
        Optional<String> raw = query(req, name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.get());
            if (value < min || value > max) {
                throw ApiException.invalidField(name, "must be between " + min + " and " + max);
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(name, "must be a whole number");
        }
    }

    public static Optional<BigDecimal> money(ServerRequest req, String name) {
        Optional<String> raw = query(req, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            BigDecimal value = new BigDecimal(raw.get());
            Validator.checkMoney(name, value);
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw ApiException.invalidField(name, "must be a number");
        }
    }

    public static Optional<Instant> instant(ServerRequest req, String name) {
        Optional<String> raw = query(req, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(raw.get()));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.LocalDate.parse(raw.get()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException e2) {
                throw ApiException.invalidField(name, "must be an ISO-8601 date or instant");
            }
        }
    }

    public static Optional<String> oneOf(ServerRequest req, String name, Set<String> allowed) {
        Optional<String> raw = query(req, name);
        if (raw.isPresent() && !allowed.contains(raw.get())) {
            throw ApiException.invalidField(name, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
        }
        return raw;
    }

    /** A UUID path parameter; anything else is simply a record that does not exist (404). */
    public static UUID pathId(ServerRequest req, String name, String what) {
        String raw = req.path().pathParameters().first(name).orElse("");
        return parseId(raw).orElseThrow(() -> ApiException.notFound(what));
    }

    public static Optional<UUID> parseId(String raw) {
        if (raw == null || raw.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
