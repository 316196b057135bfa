package dev.storefront.payment;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * A local stand-in for the three Stripe endpoints payment uses, answering Stripe-shaped JSON and
 * recording what it received (idempotency key and form fields). Like Stripe it replays the first
 * answer for a repeated idempotency key. {@code pm_card_chargeDeclined*} decline with a card_error;
 * {@code pm_card_processing} leaves the intent processing until {@link #settle} is called.
 */
final class StripeStandIn implements AutoCloseable {
    record Received(String method, String path, String idempotencyKey, Map<String, String> form) {
    }

    private record Answer(int status, String body) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> byKey = new ConcurrentHashMap<>();
    private final Map<String, String> intentStatus = new ConcurrentHashMap<>();
    private final WebServer server;

    StripeStandIn() {
        // Helidon 4.1 builds servers racily (metrics registry): test classes running in parallel take turns
        synchronized (dev.storefront.common.ServiceServer.class) {
            server = WebServer.builder().host("127.0.0.1").port(0)
                    .routing(r -> r
                            .post("/v1/payment_intents", (req, res) -> keyed(req, res, this::createIntent))
                            .get("/v1/payment_intents/{id}", this::retrieveIntent)
                            .post("/v1/refunds", (req, res) -> keyed(req, res, this::createRefund)))
                    .build().start();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Moves a processing intent to its final status. */
    void settle(String intentId, String status) {
        intentStatus.put(intentId, status);
    }

    List<Received> calls(String method, String path) {
        return received.stream().filter(r -> r.method().equals(method) && r.path().startsWith(path)).toList();
    }

    private void keyed(ServerRequest req, ServerResponse res, java.util.function.Function<Map<String, String>, Answer> handler) {
        String key = req.headers().first(HeaderNames.create("Idempotency-Key")).orElse(null);
        Map<String, String> form = form(req.content().as(String.class));
        received.add(new Received("POST", req.path().path(), key, form));
        Answer answer = key == null ? handler.apply(form) : byKey.computeIfAbsent(key, k -> handler.apply(form));
        send(res, answer);
    }

    private Answer createIntent(Map<String, String> form) {
        String id = "pi_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        String method = form.get("payment_method");
        if (method.startsWith("pm_card_chargeDeclined")) {
            String decline = method.endsWith("InsufficientFunds") ? "insufficient_funds" : "generic_decline";
            String intent = intent(id, form, "requires_payment_method",
                    "{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"" + decline + "\"}");
            intentStatus.put(id, "requires_payment_method");
            return new Answer(402, "{\"error\":{\"type\":\"card_error\",\"code\":\"card_declined\",\"decline_code\":\"" + decline
                    + "\",\"message\":\"Your card was declined.\",\"payment_intent\":" + intent + "}}");
        }
        String status = method.equals("pm_card_processing") ? "processing" : "succeeded";
        intentStatus.put(id, status);
        intentForms.put(id, form);
        return new Answer(200, intent(id, form, status, null));
    }

    private final Map<String, Map<String, String>> intentForms = new ConcurrentHashMap<>();

    private void retrieveIntent(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        received.add(new Received("GET", req.path().path(), null, Map.of()));
        String status = intentStatus.get(id);
        if (status == null) {
            send(res, new Answer(404, "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"resource_missing\",\"message\":\"No such payment_intent\"}}"));
            return;
        }
        send(res, new Answer(200, intent(id, intentForms.getOrDefault(id, Map.of()), status, null)));
    }

    private Answer createRefund(Map<String, String> form) {
        String id = "re_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
        return new Answer(200, "{\"id\":\"" + id + "\",\"object\":\"refund\",\"status\":\"succeeded\",\"payment_intent\":\""
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

    private static void send(ServerResponse res, Answer answer) {
        res.status(Status.create(answer.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.create("Request-Id"), "req_standin");
        res.send(answer.body());
    }

    @Override
    public void close() {
        server.stop();
    }
}
