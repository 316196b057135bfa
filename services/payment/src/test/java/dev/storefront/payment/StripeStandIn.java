package dev.storefront.payment;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.FakeNeighbour.Answer;

/**
 * A local stand-in for the three Stripe endpoints payment uses, answering Stripe-shaped JSON and
 * recording what it received (idempotency key and form fields). Like Stripe it replays the first
 * answer for a repeated idempotency key. {@code pm_card_chargeDeclined*} decline with a card_error;
 * {@code pm_card_processing} leaves the intent processing until {@link #settle} is called.
 */
final class StripeStandIn {
    record Received(String method, String path, String idempotencyKey, Map<String, String> form) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> intentStatus = new ConcurrentHashMap<>();
    /** The server: a fake neighbour programmed with Stripe's routes (the test's fixture starts and stops it). */
    final FakeNeighbour server = new FakeNeighbour()
            .on("POST", "/v1/payment_intents", call -> keyed(call, this::createIntent))
            .on("GET", "/v1/payment_intents/{id}", this::retrieveIntent)
            .on("POST", "/v1/refunds", call -> keyed(call, this::createRefund));

    /** Moves a processing intent to its final status. */
    void settle(String intentId, String status) {
        intentStatus.put(intentId, status);
    }

    List<Received> calls(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(path)).toList();
    }

    private Answer keyed(FakeNeighbour.Call call, java.util.function.Function<Map<String, String>, Answer> handler) {
        String key = call.header("Idempotency-Key").orElse(null);
        Map<String, String> form = form(call.text());
        received.add(new Received("POST", call.request().path().path(), key, form));
        return key == null ? handler.apply(form) : byKey.computeIfAbsent(key, k -> handler.apply(form));
    }

    private Answer createIntent(Map<String, String> form) {
        String id = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String method = form.get("payment_method");
        if (method.startsWith("pm_card_chargeDeclined")) {
            String decline = method.endsWith("InsufficientFunds") ? "insufficient_funds" : "generic_decline";
            String intent = intent(id, form, "requires_payment_method",
                    "{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"" + decline + "\"}");
            intentStatus.put(id, "requires_payment_method");
            return answer(402, "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"" + decline
                    + "\",\"message\":\"Your card was declined.\",\"payment_intent\":" + intent + "}}");
        }
        String status = method.equals("pm_card_processing") ? "processing" : "succeeded";
        intentStatus.put(id, status);
        intentForms.put(id, form);
        return answer(200, intent(id, form, status, null));
    }

    private final Map<String, Map<String, String>> intentForms = new ConcurrentHashMap<>();

    private Answer retrieveIntent(FakeNeighbour.Call call) {
        String id = call.param("id");
        received.add(new Received("GET", call.request().path().path(), null, Map.of()));
        String status = intentStatus.get(id);
        if (status == null) {
            return answer(404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\",\"message\":\"No such payment_intent\"}}");
        }
        return answer(200, intent(id, intentForms.getOrDefault(id, Map.of()), status, null));
    }

    private Answer createRefund(Map<String, String> form) {
        String id = "re_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return answer(200, "{\"id\":\"" + id + "\",\"object\":\"refund\",\"status\":\"succeeded\",\"payment_intent\":\""
                + form.get("payment_intent") + "\"}");
    }

    private static String intent(String id, Map<String, String> form, String status, String lastError) {
        return "{\"id\":\"" + id + "\",\"object\":\"payment_intent\",\"amount\":" + form.getOrDefault("amount", "0")
                + ",\"currency\":\"" + form.getOrDefault("currency", "usd") + "\",\"status\":\"" + status
                + "\",\"payment_method\":\"" + form.getOrDefault("payment_method", "") + "\",\"metadata\":{\"orderId\":\""
                + form.getOrDefault("metadata[orderId]", "") + "\"},\"last_payment_error\":" + lastError + "}";
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    /** Stripe-shaped JSON, with the request id Stripe sends. */
    private static Answer answer(int status, String json) {
        return Answer.json(status, json, Map.of("Request-Id", "req_standin"));
    }
}
