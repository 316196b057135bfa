package dev.storefront.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.storefront.common.testing.TestHttp;

/**
 * A steady checkout load through the gateway that holds the platform to a rolling restart's promise:
 * while a service stops gracefully and starts again, a client sees only answers it can act on. Each
 * shopper loops: add to the cart, check out with a new Idempotency-Key, clear the cart unless it bought.
 * A 503 that carries Retry-After is waited out as a real client would and the same request (same
 * Idempotency-Key) is sent again; it is counted against the phase it happened in (the service being
 * restarted). Everything else that is not a 2xx or an expected 4xx (402 declined, 409 out of stock or
 * cancelled) is a failure: a 503 without Retry-After, any other 5xx, a 429, another 4xx, no answer at
 * all (refused, reset, timed out). Failures are retried too (so the load goes on), and all are kept.
 */
final class RestartLoad {
    record Failure(String phase, String request, String what) {
        @Override
        public String toString() {
            return "[" + phase + "] " + request + ": " + what;
        }
    }

    final AtomicLong sent = new AtomicLong();
    final AtomicLong definite = new AtomicLong();
    final Map<String, LongAdder> retryAfter503 = new ConcurrentHashMap<>();
    final Queue<Failure> failures = new ConcurrentLinkedQueue<>();
    final Queue<CheckoutLoad.Outcome> outcomes = new ConcurrentLinkedQueue<>();

    private final TestHttp api;
    private final List<CheckoutLoad.Shopper> shoppers;
    private final List<String> products;
    private volatile String phase = "steady";
    private volatile boolean stopping;
    private volatile long hardStopAt; // meaningful once stopping

    RestartLoad(TestHttp api, List<CheckoutLoad.Shopper> shoppers, List<String> products) {
        this.api = api;
        this.shoppers = shoppers;
        this.products = products;
    }

    /** What 503s and failures from now on are counted against (e.g. the service being restarted). */
    void phase(String phase) {
        this.phase = phase;
    }

    long retryAfter503(String phase) {
        LongAdder n = retryAfter503.get(phase);
        return n == null ? 0 : n.sum();
    }

    long count(CheckoutLoad.Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /** Runs the shoppers until {@link #stop(Duration)}; returns when they all finished. */
    void run() throws InterruptedException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (CheckoutLoad.Shopper shopper : shoppers) {
                pool.submit(() -> shop(shopper));
            }
            pool.shutdown();
            while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                if (stopping && System.nanoTime() - hardStopAt > Duration.ofSeconds(30).toNanos()) {
                    pool.shutdownNow(); // a shopper stuck past the grace: interrupt it (its request counts as failed)
                }
            }
        }
    }

    /** No new purchases; those in flight get up to {@code grace} for a definite answer. */
    void stop(Duration grace) {
        hardStopAt = System.nanoTime() + grace.toNanos();
        stopping = true; // after hardStopAt: a shopper that sees stopping sees the deadline too
    }

    private void shop(CheckoutLoad.Shopper shopper) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            String product = products.get(random.nextInt(products.size()));
            TestHttp.Reply added = definite("POST /api/cart/add", () -> api.json("POST", "/api/cart/add", shopper.token(),
                    Map.of("productId", product, "quantity", 1 + random.nextInt(2))), 409);
            if (added == null || added.status() >= 300) {
                clearCart(shopper);
                continue;
            }
            String key = "rolling-" + UUID.randomUUID();
            String method = random.nextInt(100) < 10 ? "pm_card_chargeDeclined" : "pm_card_visa";
            Map<String, Object> body = Map.of("shippingAddress", Shop.address("Rolling Shopper"), "paymentMethod", method);
            TestHttp.Reply answer = definite("POST /api/checkout", () -> api.json("POST", "/api/checkout", shopper.token(), body,
                    Map.of("Idempotency-Key", key)), 402, 409);
            CheckoutLoad.Outcome outcome = outcome(shopper, key, answer);
            outcomes.add(outcome);
            if (outcome.kind() != CheckoutLoad.Kind.COMPLETED) {
                clearCart(shopper);
            }
            pause(200 + random.nextInt(500));
        }
    }

    private void clearCart(CheckoutLoad.Shopper shopper) {
        definite("DELETE /api/cart", () -> api.send("DELETE", "/api/cart", shopper.token(), null, List.of()));
    }

    /**
     * Sends (the same request each time) until a 2xx or one of the {@code expected} statuses, or until the
     * hard stop; returns that answer, or null when none came in time.
     */
    private TestHttp.Reply definite(String request, Supplier<TestHttp.Reply> call, int... expected) {
        while (true) {
            sent.incrementAndGet();
            String during = phase;
            long waitMs;
            try {
                TestHttp.Reply reply = call.get();
                int status = reply.status();
                if (status >= 200 && status < 300 || contains(expected, status)) {
                    definite.incrementAndGet();
                    return reply;
                }
                String retryAfter = reply.header("Retry-After");
                if (status == 503 && retryAfter != null && seconds(retryAfter) >= 0) {
                    retryAfter503.computeIfAbsent(during, p -> new LongAdder()).increment();
                    waitMs = 1_000L * Math.min(5, seconds(retryAfter));
                } else {
                    failures.add(new Failure(during, request, (status == 503 ? "503 " + reply.errorCode() + " without Retry-After"
                            : status == 429 ? "429 (Retry-After " + retryAfter + ")" : status + " " + reply.errorCode()) + ": " + reply));
                    waitMs = status == 429 && retryAfter != null ? 1_000L * Math.max(1, Math.min(5, seconds(retryAfter))) : 500;
                }
            } catch (TestHttp.TransportFailure e) {
                failures.add(new Failure(during, request, "no answer from the gateway: " + e.getMessage()));
                waitMs = 500;
            }
            if (stopping && System.nanoTime() + waitMs * 1_000_000 - hardStopAt > 0 || Thread.currentThread().isInterrupted()) {
                return null;
            }
            pause(waitMs + ThreadLocalRandom.current().nextInt(100));
        }
    }

    private static boolean contains(int[] statuses, int status) {
        for (int s : statuses) {
            if (s == status) {
                return true;
            }
        }
        return false;
    }

    /** Retry-After as delta-seconds; -1 when it is not a number (an HTTP date is not what the shop sends). */
    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static CheckoutLoad.Outcome outcome(CheckoutLoad.Shopper shopper, String key, TestHttp.Reply answer) {
        if (answer == null) {
            return new CheckoutLoad.Outcome(shopper.userId(), key, CheckoutLoad.Kind.UNDECIDED, 0, null, null, null, "no answer in time");
        }
        var data = answer.data();
        CheckoutLoad.Kind kind = answer.status() >= 200 && answer.status() < 300 ? CheckoutLoad.Kind.COMPLETED
                : answer.status() == 402 ? CheckoutLoad.Kind.DECLINED
                : CheckoutLoad.Kind.CONFLICT;
        return new CheckoutLoad.Outcome(shopper.userId(), key, kind, answer.status(), data.path("orderId").asText(null),
                data.path("transactionId").asText(null), data.path("id").asText(null),
                kind == CheckoutLoad.Kind.COMPLETED ? "" : answer.toString());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
