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
    private final CheckoutRepository repo;
    private static final long RETRY_AFTER_SECONDS = 2;

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
            // a twin with the same key may have started (or finished, emptying the cart) while this one queued
            Optional<Saga> twin = repo.find(shopper.userId(), idempotencyKey);
            if (twin.isPresent()) {
                return new Result(awaitOutcome(twin.get(), hash), false);
            }
            // nothing is recorded until the cart is priced and its stock seen: a failure here leaves the key unused
            OrderDraft draft;
            try {
                draft = pricing.price(shopper.userId(), shopperToken, request);
                stock.requireAvailable(draft);
            } catch (ApiException e) {
                // the cart may have been emptied by a twin that finished meanwhile: its outcome is ours
                Optional<Saga> late = repo.find(shopper.userId(), idempotencyKey);
                if (late.isPresent()) {
                    return new Result(awaitOutcome(late.get(), hash), false);
                }
                throw e;
            }
            Optional<Saga> mine = repo.insert(UUID.randomUUID(), shopper.userId(), idempotencyKey, hash,
                    request.paymentMethod(), draft);
            if (mine.isEmpty()) { // a concurrent request with the same key won the insert
                return new Result(awaitOutcome(repo.find(shopper.userId(), idempotencyKey).orElseThrow(), hash), false);
            }
            return new Result(runner.run(mine.get()), true);
        } finally {
            running.release();
        }
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
