package dev.storefront.auth;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.common.security.Authz;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/users: the caller's own profile, preferences and addresses. Nobody reaches another's. */
final class UsersService implements HttpService {
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ().-]{3,31}$");
    private static final Pattern PREFERENCE_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final int MAX_PREFERENCES = 50;
    private static final int MAX_PREFERENCE_TEXT = 500;

    private final AuthRepository repo;
    private final Authz authz;

    UsersService(AuthRepository repo, Authz authz) {
        this.repo = repo;
        this.authz = authz;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/profile", this::profile)
                .put("/profile", this::updateProfile)
                .get("/addresses", this::addresses)
                .post("/address", this::addAddress)
                .put("/address/{id}", this::updateAddress)
                .delete("/address/{id}", this::deleteAddress);
    }

    private void profile(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        Responses.ok(res, repo.profile(p.userId()).orElseThrow(() -> ApiException.notFound("User")));
    }

    private void updateProfile(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        Requests.ProfileUpdate body = Bodies.read(req, Requests.ProfileUpdate.class);
        Validator v = new Validator();
        if (body.name() != null) {
            v.requiredText("name", body.name(), 100);
        }
        v.text("phone", body.phone(), 32);
        if (v.ok("phone") && body.phone() != null && !body.phone().isEmpty()) {
            v.check(PHONE.matcher(body.phone()).matches(), "phone", "must be a phone number (digits, spaces, + ( ) . -)");
        }
        if (body.preferences() != null) {
            checkPreferences(v, body.preferences());
        }
        v.throwIfInvalid();
        Profile updated = repo.updateProfile(p.userId(), body.name() == null ? null : body.name().strip(), body.phone(),
                body.preferences() == null ? null : Json.write(body.preferences()));
        Responses.ok(res, updated);
    }

    private void addresses(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        Responses.ok(res, repo.addresses(p.userId()));
    }

    private void addAddress(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        Requests.AddressInput in = address(Bodies.read(req, Requests.AddressInput.class));
        Responses.created(res, repo.addAddress(p.userId(), in));
    }

    private void updateAddress(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        UUID id = Params.pathId(req, "id", "Address");
        Requests.AddressInput in = address(Bodies.read(req, Requests.AddressInput.class));
        Responses.ok(res, repo.updateAddress(p.userId(), id, in));
    }

    private void deleteAddress(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        UUID id = Params.pathId(req, "id", "Address");
        if (!repo.deleteAddress(p.userId(), id)) {
            throw ApiException.notFound("Address");
        }
        Responses.ok(res, Map.of("id", id, "deleted", true));
    }

    /** Validates an address and returns it trimmed, with the country upper-cased and blank optionals as null. */
    private static Requests.AddressInput address(Requests.AddressInput in) {
        Validator v = new Validator()
                .requiredText("fullName", in.fullName(), 100)
                .requiredText("line1", in.line1(), 200)
                .text("line2", in.line2(), 200)
                .requiredText("city", in.city(), 100)
                .text("region", in.region(), 100)
                .requiredText("postalCode", in.postalCode(), 20)
                .required("country", in.country())
                .text("country", in.country(), 10)
                .text("phone", in.phone(), 32);
        if (v.ok("country") && in.country() != null) {
            v.check(COUNTRIES.contains(in.country().strip().toUpperCase(Locale.ROOT)), "country",
                    "must be an ISO 3166-1 alpha-2 country code such as US or DE");
        }
        if (v.ok("phone") && in.phone() != null && !in.phone().isBlank()) {
            v.check(PHONE.matcher(in.phone().strip()).matches(), "phone", "must be a phone number (digits, spaces, + ( ) . -)");
        }
        v.throwIfInvalid();
        return new Requests.AddressInput(in.fullName().strip(), in.line1().strip(), blankToNull(in.line2()), in.city().strip(),
                blankToNull(in.region()), in.postalCode().strip(), in.country().strip().toUpperCase(Locale.ROOT),
                blankToNull(in.phone()), in.isDefault());
    }

    /** Preferences are a flat map of short keys to plain values: enough for language, currency, newsletter… */
    private static void checkPreferences(Validator v, Map<String, Object> preferences) {
        if (preferences.size() > MAX_PREFERENCES) {
            v.add("preferences", "must have at most " + MAX_PREFERENCES + " entries");
            return;
        }
        preferences.forEach((key, value) -> {
            String field = "preferences." + key;
            if (!PREFERENCE_KEY.matcher(key).matches()) {
                v.add("preferences", "keys must be 1-64 letters, digits, '_', '.' or '-'");
            } else if (value instanceof String s) {
                v.text(field, s, MAX_PREFERENCE_TEXT);
            } else if (!(value == null || value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof BigDecimal)) {
                v.add(field, "must be a string, number, boolean or null");
            }
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
