package dev.storefront.checkout;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.FieldError;

/**
 * Starts a checkout once per (user, Idempotency-Key) and answers every repeat with the same saga:
 * the first request inserts the row holding its lease and runs it; a repeat (or a concurrent twin)
 * waits for that outcome, and takes the saga over itself if the lease ran out.
 */
final class Checkouts {
    private static final long RETRY_AFTER_SECONDS = 2;

    private final CheckoutRepository repo;
    private final CartPricing pricing;
    private final StockPrecheck stock;
    private final Semaphore running;
    private final SagaRunner runner;
    private final CheckoutSettings settings;

    Checkouts(CheckoutRepository repo, CartPricing pricing, StockPrecheck stock, SagaRunner runner, CheckoutSettings settings) {
        this.repo = repo;
        this.pricing = pricing;
        this.stock = stock;
        this.running = new Semaphore(settings.maxRunning(), true);
        this.runner = runner;
        this.settings = settings;
    }

    /** The saga as it stands after this request, and whether this request started it. */
    record Result(Saga saga, boolean started) {
    }

    Result checkout(Principal shopper, String shopperToken, String idempotencyKey, CheckoutRequest request) {
        String hash = request.hash();
        Optional<Saga> existing = repo.find(shopper.userId(), idempotencyKey);
        if (existing.isPresent()) {
            return new Result(awaitOutcome(existing.get(), hash), false);
        }
        admit();
        try {
            Optional<Result> started = start(shopper.userId(), shopperToken, idempotencyKey, hash, request);
            if (started.isPresent()) {
                return started.get();
            }
        } finally {
            running.release();
        }
        // a twin with the same key recorded the saga: wait for its outcome without holding a slot
        return new Result(awaitOutcome(repo.find(shopper.userId(), idempotencyKey).orElseThrow(), hash), false);
    }

    /**
     * Prices the cart, looks at its stock, records the saga and runs it; empty when a twin with the
     * same key recorded one first (while this request queued, or by winning the insert).
     */
    private Optional<Result> start(UUID userId, String shopperToken, String idempotencyKey, String hash, CheckoutRequest request) {
        if (repo.find(userId, idempotencyKey).isPresent()) {
            return Optional.empty();
        }
        // nothing is recorded until the cart is priced and its stock seen: a failure here leaves the key unused
        OrderDraft draft;
        try {
            draft = pricing.price(userId, shopperToken, request);
            stock.requireAvailable(draft);
        } catch (ApiException e) {
            if (repo.find(userId, idempotencyKey).isPresent()) {
                return Optional.empty(); // a twin that finished meanwhile emptied the cart: its outcome is ours
            }
            throw e;
        }
        return repo.insert(UUID.randomUUID(), userId, idempotencyKey, hash, request.paymentMethod(), draft)
                .map(mine -> new Result(runner.run(mine), true));
    }

    /**
     * Waits (bounded) for one of the saga slots. A burst beyond what the databases can serve at once
     * queues here, in arrival order, instead of in every service's connection pool, where waits end
     * in timeouts half-way through a saga; whoever waits too long is told to come back (429), with
     * nothing recorded.
     */
    private void admit() {
        try {
            if (running.tryAcquire(settings.admissionWait().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ApiException(ErrorCode.RATE_LIMITED, "Checkout is very busy right now; please try again in a few seconds",
                List.of(), null, RETRY_AFTER_SECONDS);
    }

    Optional<Saga> find(UUID id) {
        return repo.find(id);
    }

    private Saga awaitOutcome(Saga saga, String hash) {
        if (!saga.requestHash().equals(hash)) {
            throw new ApiException(ErrorCode.UNPROCESSABLE, "This Idempotency-Key was already used with a different request",
                    List.of(new FieldError("Idempotency-Key", "was already used with a different request body")), null, null);
        }
        long deadline = System.nanoTime() + settings.waitForRunning().toNanos();
        Saga s = saga;
        while (!s.decided() && System.nanoTime() < deadline) {
            Optional<Saga> claimed = repo.claim(s.id());
            if (claimed.isPresent()) {
                return runner.run(claimed.get());
            }
            sleep();
            s = repo.find(s.id()).orElseThrow();
        }
        return s;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for the checkout");
        }
    }
}
