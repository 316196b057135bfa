package dev.storefront.checkout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Authz;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.RateLimiter;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** POST /api/checkout and GET /api/checkout/{id}. */
final class CheckoutService implements HttpService {
    static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_-]{8,128}$");

    private final ServiceContext ctx;
    private final Checkouts checkouts;
    private final RateLimiter limiter;
    private final long retryAfterSeconds;

    CheckoutService(ServiceContext ctx, Checkouts checkouts, CheckoutSettings settings) {
        this.ctx = ctx;
        this.checkouts = checkouts;
        this.limiter = new RateLimiter(settings.perMinute(), java.time.Duration.ofMinutes(1));
        this.retryAfterSeconds = Math.max(1, settings.recoveryEvery().toSeconds());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::checkout)
                .get("/{id}", this::get);
    }

    private void checkout(ServerRequest req, ServerResponse res) {
        Principal shopper = ctx.authz().user(req);
        limiter.acquire(shopper.userId().toString());
        String key = idempotencyKey(req);
        CheckoutRequest body = Bodies.read(req, CheckoutRequest.class);
        body.validate();
        Checkouts.Result result = checkouts.checkout(shopper, bearer(req), key, body);
        Saga s = result.saga();
        CheckoutView view = CheckoutView.of(s);
        switch (s.status()) {
            case COMPLETED -> Responses.status(res, result.started() ? 201 : 200, view);
            case OUT_OF_STOCK -> throw new ApiException(ErrorCode.OUT_OF_STOCK, "Not enough stock for some items",
                    outOfStockLines(s), view, null);
            case PAYMENT_FAILED -> throw new ApiException(ErrorCode.PAYMENT_FAILED, "Payment failed: " + s.failureReason(),
                    List.of(new FieldError("paymentMethod", s.failureReason())), view, null);
            case COMPENSATED -> throw new ApiException(ErrorCode.CONFLICT, "The checkout was cancelled: " + s.failureReason(),
                    List.of(), view, null);
            case IN_PROGRESS -> throw new ApiException(ErrorCode.DEPENDENCY_UNAVAILABLE,
                    "The checkout could not finish now; it will be finished or undone shortly. "
                            + "Retry with the same Idempotency-Key or GET /api/checkout/" + s.id(),
                    List.of(), view, retryAfterSeconds);
        }
    }

    private void get(ServerRequest req, ServerResponse res) {
        Principal caller = ctx.authz().user(req);
        UUID id = Params.pathId(req, "id", "Checkout");
        Saga s = checkouts.find(id).orElseThrow(() -> ApiException.notFound("Checkout"));
        Authz.ownedOrNotFound(caller, s.userId(), "Checkout");
        Responses.ok(res, CheckoutView.of(s));
    }

    private static String idempotencyKey(ServerRequest req) {
        if (Bodies.duplicated(req, IDEMPOTENCY_KEY)) {
            throw ApiException.invalidField("Idempotency-Key", "must be sent once");
        }
        String key = req.headers().first(IDEMPOTENCY_KEY).map(String::trim).orElse("");
        if (key.isEmpty()) {
            throw ApiException.invalidField("Idempotency-Key", "is required");
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalidField("Idempotency-Key", "must be 8 to 128 characters of A-Z, a-z, 0-9, - and _");
        }
        return key;
    }

    /** The shopper's own token (already verified), for auth's address book. */
    private static String bearer(ServerRequest req) {
        return req.headers().first(HeaderNames.AUTHORIZATION).map(v -> v.substring(7).trim()).orElseThrow();
    }

    /** The lines inventory reported short, as field errors. */
    private static List<FieldError> outOfStockLines(Saga s) {
        List<FieldError> lines = new ArrayList<>();
        JsonNode details = s.failureDetails() == null ? null : s.failureDetails().path("details");
        if (details != null) {
            for (JsonNode d : details) {
                lines.add(new FieldError(d.path("field").asText(), d.path("message").asText()));
            }
        }
        return lines;
    }
}
