package dev.storefront.checkout;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.checkout.Saga.Action;
import dev.storefront.checkout.Saga.Status;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Params;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Runs a saga from wherever its row says it is, while holding its lease:
 * CREATED -> ORDER_CREATED -> STOCK_RESERVED -> PAYMENT_CHARGED -> COMPLETED, or COMPENSATING ->
 * COMPENSATED. Every call is recorded before it is made (action) and its result after (step), and
 * every call is idempotent on the other side (the order by "checkout:"+saga id, the rest by order
 * id), so running any step again after a crash is safe.
 *
 * <p>When a dependency is down the runner stops, gives the lease back and leaves the saga where it
 * is; recovery (or the shopper's retry with the same key) carries on from there.
 */
final class SagaRunner {
    private static final System.Logger LOG = System.getLogger(SagaRunner.class.getName());

    private final ServiceContext ctx;
    private final CheckoutRepository repo;
    private final CheckoutSettings settings;
    private volatile Consumer<String> checkpoint = point -> { };

    SagaRunner(ServiceContext ctx, CheckoutRepository repo, CheckoutSettings settings) {
        this.ctx = ctx;
        this.repo = repo;
        this.settings = settings;
    }

    /**
     * Tests only: called at every checkpoint ("before CHARGE", "after CHARGE", "recorded PAYMENT_CHARGED", …);
     * throwing from it simulates the process dying there: nothing more is recorded and the lease is kept.
     */
    void onCheckpoint(Consumer<String> hook) {
        this.checkpoint = hook;
    }

    /** Runs the saga (whose lease the caller holds) until it ends or cannot go on now; returns its latest state. */
    Saga run(Saga saga) {
        Saga s = saga;
        try {
            while (!s.step().finished()) {
                s = step(s);
            }
            return s;
        } catch (CheckoutRepository.LeaseLost e) {
            LOG.log(Level.INFO, e.getMessage());
            return repo.find(s.id()).orElseThrow();
        } catch (ApiException e) {
            // a dependency is down or answered out of contract: keep the saga where it is, retry later
            LOG.log(Level.WARNING, "Checkout " + s.id() + " paused at " + s.step() + ": " + e.getMessage());
            repo.release(s, e.code() + ": " + e.getMessage());
            return repo.find(s.id()).orElseThrow();
        }
    }

    private Saga step(Saga s) {
        return switch (s.step()) {
            case CREATED -> createOrder(s);
            case ORDER_CREATED -> reserveStock(s);
            case STOCK_RESERVED -> charge(s);
            case PAYMENT_CHARGED -> finish(s);
            case COMPENSATING -> compensate(s);
            case COMPLETED, COMPENSATED -> s;
        };
    }

    private Saga createOrder(Saga s) {
        if (s.action() == null && tooOld(s)) {
            return undo(s, Status.COMPENSATED, "The checkout could not be completed in time", null, null);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("idempotencyKey", "checkout:" + s.id());
        body.put("userId", s.userId());
        body.put("items", s.draft().items());
        body.put("currency", s.draft().currency());
        body.put("shippingAddress", s.draft().shippingAddress());
        JsonNode order;
        try {
            order = call(s, Action.CREATE_ORDER, () -> client("order").post("/internal/orders", body));
        } catch (ApiException e) {
            if (!refused(e)) {
                throw e;
            }
            return undo(s, Status.COMPENSATED, "The order was refused: " + e.getMessage(), null, null);
        }
        UUID orderId = Params.parseId(order == null ? null : order.path("id").asText())
                .orElseThrow(() -> ApiException.unavailable("order answered without an order id"));
        BigDecimal amount = order.path("total").isNumber() ? order.path("total").decimalValue() : s.draft().total();
        String currency = order.path("currency").asText(s.draft().currency());
        return recorded(repo.orderCreated(s, orderId, amount, currency));
    }

    private Saga reserveStock(Saga s) {
        if (tooOld(s)) {
            return undo(s, Status.COMPENSATED, "The checkout could not be completed in time", null, null);
        }
        List<Map<String, Object>> items = s.draft().items().stream()
                .map(l -> Map.<String, Object>of("productId", l.productId(), "quantity", l.quantity())).toList();
        Map<String, Object> body = Map.of("orderId", s.orderId(), "items", items,
                "ttlSeconds", settings.reservationTtl().toSeconds());
        try {
            call(s, Action.RESERVE_STOCK, () -> client("inventory").post("/internal/inventory/reserve", body));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.OUT_OF_STOCK) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("details", e.details());
                details.put("shortages", e.data() instanceof JsonNode data ? data.path("shortages") : List.of());
                return undo(s, Status.OUT_OF_STOCK, "Not enough stock for some lines", Json.tree(details), null);
            }
            if (!refused(e)) {
                throw e;
            }
            return undo(s, Status.COMPENSATED, "The stock reservation was refused: " + e.getMessage(), null, null);
        }
        return recorded(repo.stockReserved(s));
    }

    private Saga charge(Saga s) {
        if (s.action() == Action.CHARGE) {
            // a charge was started and its outcome never recorded: payment knows what happened
            return resolveUnknownCharge(s);
        }
        if (tooOld(s)) {
            return undo(s, Status.COMPENSATED, "The checkout could not be completed in time", null, null);
        }
        return sendCharge(s);
    }

    /** Asks payment to charge; keyed by order id, so sending it again never charges twice. */
    private Saga sendCharge(Saga s) {
        Map<String, Object> body = Map.of("orderId", s.orderId(), "userId", s.userId(), "amount", s.amount(),
                "currency", s.currency(), "paymentMethod", s.paymentMethod());
        JsonNode payment;
        try {
            payment = call(s, Action.CHARGE, () -> client("payment").post("/internal/payments/charge", body));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.PAYMENT_FAILED) {
                JsonNode failed = e.data() instanceof JsonNode data ? data : Json.mapper().createObjectNode();
                return undo(s, Status.PAYMENT_FAILED, failed.path("failureReason").asText(e.getMessage()), null,
                        Params.parseId(failed.path("id").asText()).orElse(null));
            }
            if (!refused(e)) {
                throw e;
            }
            return undo(s, Status.COMPENSATED, "The payment was refused: " + e.getMessage(), null, null);
        }
        if (payment == null || !"COMPLETED".equals(payment.path("status").asText())) {
            throw ApiException.unavailable("payment has not completed yet");
        }
        return recorded(repo.charged(s, transactionId(payment)));
    }

    /** Before PAYMENT_CHARGED with the charge's outcome lost: go on if it completed, else undo. */
    private Saga resolveUnknownCharge(Saga s) {
        Optional<JsonNode> payment;
        try {
            payment = Optional.ofNullable(client("payment").get("/internal/payments/by-order/" + s.orderId()));
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
            payment = Optional.empty();
        }
        if (payment.isEmpty()) {
            return undo(s, Status.COMPENSATED, "The payment did not go through; nothing was charged", null, null);
        }
        JsonNode p = payment.get();
        return switch (p.path("status").asText()) {
            case "COMPLETED" -> recorded(repo.charged(s, transactionId(p)));
            case "FAILED" -> undo(s, Status.PAYMENT_FAILED, p.path("failureReason").asText("The payment failed"), null,
                    transactionId(p));
            // a charge whose payment process died mid-way stays PENDING until it is asked again:
            // ask again (same order id, same idempotency key at the provider) so it settles
            case "PENDING" -> sendCharge(s);
            default -> undo(s, Status.COMPENSATED, "The payment was " + p.path("status").asText().toLowerCase(), null,
                    transactionId(p));
        };
    }

    /** Confirms the order, commits the reservation, clears the cart; each idempotent, so all run again on resume. */
    private Saga finish(Saga s) {
        try {
            call(s, Action.CONFIRM_ORDER, () -> client("order").put("/internal/orders/" + s.orderId() + "/status",
                    Map.of("status", "CONFIRMED", "note", "Paid (checkout " + s.id() + ")",
                            "paymentTransactionId", s.transactionId())));
            call(s, Action.COMMIT_STOCK, () -> client("inventory").post("/internal/inventory/commit",
                    Map.of("orderId", s.orderId())));
        } catch (ApiException e) {
            if (!refused(e)) {
                throw e;
            }
            // the order was cancelled meanwhile (e.g. it timed out) or the reservation expired: refund and undo
            return undo(s, Status.COMPENSATED, "The order could not be confirmed: " + e.getMessage(), null, null);
        }
        try {
            call(s, Action.CLEAR_CART, () -> client("cart").delete("/internal/cart/" + s.userId()));
        } catch (ApiException e) {
            if (!refused(e) && e.status() != 404) {
                throw e;
            }
            // no cart left to clear: nothing to do
        }
        Saga done = repo.completed(s);
        counted(done);
        return recorded(done);
    }

    /** Undoes what was done: refund if charged, release the stock, cancel the order. Each call is idempotent. */
    private Saga compensate(Saga s) {
        if (s.charged()) {
            call(s, Action.REFUND, () -> client("payment").post("/internal/payments/refund", Map.of("orderId", s.orderId())));
        }
        if (s.orderId() != null) {
            call(s, Action.RELEASE_STOCK, () -> client("inventory").post("/internal/inventory/release",
                    Map.of("orderId", s.orderId())));
            try {
                Map<String, Object> cancel = new LinkedHashMap<>();
                cancel.put("status", "CANCELLED");
                cancel.put("note", s.failureReason() == null ? "Checkout cancelled" : s.failureReason());
                call(s, Action.CANCEL_ORDER, () -> client("order").put("/internal/orders/" + s.orderId() + "/status", cancel));
            } catch (ApiException e) {
                if (!refused(e) && e.status() != 404) {
                    throw e;
                }
                LOG.log(Level.WARNING, "Order " + s.orderId() + " of checkout " + s.id() + " could not be cancelled: "
                        + e.getMessage());
            }
        }
        Saga done = repo.compensated(s);
        counted(done);
        return recorded(done);
    }

    private Saga undo(Saga s, Status outcome, String reason, JsonNode details, UUID transactionId) {
        return recorded(repo.compensating(s, outcome, reason, details, transactionId));
    }

    /** Records the action, makes the call, passes the checkpoints around it; one span per step (recovery's start a trace). */
    private JsonNode call(Saga s, Action action, java.util.function.Supplier<JsonNode> call) {
        try (Tracing.Traced span = Tracing.span("saga " + action, SpanKind.INTERNAL, "checkout")) {
            span.attribute("storefront.checkout.id", String.valueOf(s.id())).attribute("storefront.saga.step", s.step().name());
            try {
                repo.begin(s, action);
                checkpoint.accept("before " + action);
                JsonNode answer = call.get();
                checkpoint.accept("after " + action);
                return answer;
            } catch (RuntimeException e) {
                span.fail(e);
                throw e;
            }
        }
    }

    private Saga recorded(Saga s) {
        checkpoint.accept("recorded " + s.step());
        return s;
    }

    private boolean tooOld(Saga s) {
        return s.createdAt().plus(settings.resumeWithin()).isBefore(Instant.now());
    }

    private ServiceClient client(String name) {
        return ctx.client(name);
    }

    /**
     * The other side said no to this request (400, 409, 422): retrying will not help, so the saga is
     * undone. Anything else (down, 401/403 from a token problem, 404 for a missing route) is paused.
     */
    private static boolean refused(ApiException e) {
        return e.status() == 400 || e.status() == 409 || e.status() == 422;
    }

    private static UUID transactionId(JsonNode payment) {
        return Params.parseId(payment.path("id").asText())
                .orElseThrow(() -> ApiException.unavailable("payment answered without a payment id"));
    }

    private static void counted(Saga s) {
        SagaMetrics.ended(s.status()).increment();
    }
}
