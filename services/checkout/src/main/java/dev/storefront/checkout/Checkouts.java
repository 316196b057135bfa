package dev.storefront.checkout;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

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
    private final CartPricing pricing;
    private final SagaRunner runner;
    private final CheckoutSettings settings;

    Checkouts(CheckoutRepository repo, CartPricing pricing, SagaRunner runner, CheckoutSettings settings) {
        this.repo = repo;
        this.pricing = pricing;
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
        // nothing is recorded until the cart is priced: a failure here leaves the key unused
        OrderDraft draft = pricing.price(shopper.userId(), shopperToken, request);
        Optional<Saga> mine = repo.insert(UUID.randomUUID(), shopper.userId(), idempotencyKey, hash,
                request.paymentMethod(), draft);
        if (mine.isEmpty()) { // a concurrent request with the same key won the insert
            return new Result(awaitOutcome(repo.find(shopper.userId(), idempotencyKey).orElseThrow(), hash), false);
        }
        return new Result(runner.run(mine.get()), true);
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
