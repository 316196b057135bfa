package dev.storefront.faults;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.storefront.common.testing.TestHttp;

/**
 * Shoppers on virtual threads, each in a loop: put something in the cart, check out with a new
 * Idempotency-Key, and on a 5xx, 429 or no answer at all retry with the SAME key until a definite
 * answer (2xx, 402, 409), within a bounded time. Every definite answer is kept for the invariants.
 */
final class CheckoutLoad {
    enum Kind { COMPLETED, DECLINED, CONFLICT, REJECTED, UNDECIDED }

    record Outcome(String userId, String key, Kind kind, int status, String orderId, String transactionId, String checkoutId,
                   String body) {
    }

    record Shopper(String userId, String token) {
    }

    final AtomicLong sent = new AtomicLong();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    final AtomicLong noAnswer = new AtomicLong();
    final AtomicLong serverErrors = new AtomicLong();
    final AtomicLong rateLimited = new AtomicLong();
    final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();

    private final TestHttp api;
    private final List<Shopper> shoppers;
    private final List<String> products;
    private final Duration perCheckout;
    private volatile long stopAt;
    private volatile long hardStopAt;

    CheckoutLoad(TestHttp api, List<Shopper> shoppers, List<String> products, Duration perCheckout) {
        this.api = api;
        this.shoppers = shoppers;
        this.products = products;
        this.perCheckout = perCheckout;
    }

    /** Runs until {@code duration} has passed; checkouts in flight then get up to {@code grace} to get an answer. */
    void run(Duration duration, Duration grace) throws InterruptedException {
        stopAt = System.nanoTime() + duration.toNanos();
        hardStopAt = stopAt + grace.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Shopper shopper : shoppers) {
                pool.submit(() -> shop(shopper));
            }
            pool.shutdown();
            if (!pool.awaitTermination(duration.plus(grace).plusSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        }
    }

    /** Ends the load {@code in} from now (sooner than planned), keeping the grace for checkouts in flight. */
    void stopIn(Duration in) {
        long grace = hardStopAt - stopAt;
        long newStop = System.nanoTime() + in.toNanos();
        if (newStop < stopAt) {
            stopAt = newStop;
            hardStopAt = newStop + grace;
        }
    }

    long count(Kind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).count();
    }

    /** One purchase outside the shoppers' loop (e.g. timed to cross a network fault); its outcome is kept like theirs. */
    Outcome checkoutOnce(Shopper shopper, String product) {
        TestHttp.Reply added = retrying(() -> api.json("POST", "/api/cart/add", shopper.token(), Map.of("productId", product, "quantity", 1)),
                System.nanoTime() + perCheckout.toNanos());
        if (added == null || added.status() >= 300) {
            throw new IllegalStateException("could not fill the cart: " + added);
        }
        String key = "once-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("shippingAddress", Shop.address("Timed Shopper"), "paymentMethod", "pm_card_visa");
        Outcome outcome = outcome(shopper, key, retrying(() -> api.json("POST", "/api/checkout", shopper.token(), body,
                Map.of("Idempotency-Key", key)), System.nanoTime() + perCheckout.toNanos()));
        outcomes.add(outcome);
        return outcome;
    }

    private void shop(Shopper shopper) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < stopAt) {
            String product = products.get(random.nextInt(products.size()));
            TestHttp.Reply added = retrying(() -> api.json("POST", "/api/cart/add", shopper.token(),
                    Map.of("productId", product, "quantity", 1 + random.nextInt(2))), stopAt);
            if (added == null || added.status() >= 300) {
                clearCart(shopper);
                continue;
            }
            String key = "load-" + UUID.randomUUID();
            // mostly good cards, some declines: the decline path compensates (releases stock, cancels the order)
            String method = random.nextInt(100) < 12 ? "pm_card_chargeDeclined" : "pm_card_visa";
            Map<String, Object> body = Map.of("shippingAddress", Shop.address("Load Shopper"), "paymentMethod", method);
            long deadline = Math.min(hardStopAt, System.nanoTime() + perCheckout.toNanos());
            TestHttp.Reply answer = retrying(() -> api.json("POST", "/api/checkout", shopper.token(), body,
                    Map.of("Idempotency-Key", key)), deadline);
            Outcome outcome = outcome(shopper, key, answer);
            outcomes.add(outcome);
            if (outcome.kind() != Kind.COMPLETED) {
                clearCart(shopper);
            }
            pause(200 + random.nextInt(600));
        }
    }

    private void clearCart(Shopper shopper) {
        retrying(() -> api.send("DELETE", "/api/cart", shopper.token(), null, List.of()), hardStopAt);
    }

    private static Outcome outcome(Shopper shopper, String key, TestHttp.Reply answer) {
        if (answer == null) {
            return new Outcome(shopper.userId(), key, Kind.UNDECIDED, 0, null, null, null, "no answer in time");
        }
        var data = answer.data();
        Kind kind = answer.status() >= 200 && answer.status() < 300 ? Kind.COMPLETED
                : answer.status() == 402 ? Kind.DECLINED
                : answer.status() == 409 ? Kind.CONFLICT
                : answer.status() >= 500 || answer.status() == 429 ? Kind.UNDECIDED
                : Kind.REJECTED;
        return new Outcome(shopper.userId(), key, kind, answer.status(), data.path("orderId").asText(null),
                data.path("transactionId").asText(null), data.path("id").asText(null),
                kind == Kind.COMPLETED ? "" : answer.toString());
    }

    /** Sends until a definite answer (anything but 5xx, 429 or no answer) or the deadline; the last answer, or null. */
    private TestHttp.Reply retrying(java.util.function.Supplier<TestHttp.Reply> call, long deadline) {
        TestHttp.Reply last = null;
        int attempt = 0;
        while (true) {
            if (attempt > 0) {
                retried.incrementAndGet();
            }
            sent.incrementAndGet();
            long waitMs;
            try {
                last = call.get();
                answered.incrementAndGet();
                if (last.status() < 500 && last.status() != 429) {
                    return last;
                }
                if (last.status() == 429) {
                    rateLimited.incrementAndGet();
                    waitMs = 1_000L * parseLong(last.header("Retry-After"), 1);
                } else {
                    serverErrors.incrementAndGet();
                    waitMs = 300L + 200L * Math.min(attempt, 8);
                }
            } catch (TestHttp.TransportFailure e) {
                noAnswer.incrementAndGet();
                waitMs = 300L + 200L * Math.min(attempt, 8);
            }
            attempt++;
            if (System.nanoTime() + waitMs * 1_000_000 > deadline) {
                return last != null && last.status() < 500 && last.status() != 429 ? last : null;
            }
            pause(waitMs + ThreadLocalRandom.current().nextInt(200));
        }
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Math.max(1, Math.min(10, Long.parseLong(s.trim())));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
