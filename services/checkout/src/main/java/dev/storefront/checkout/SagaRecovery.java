package dev.storefront.checkout;

import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.web.RequestContext;

/**
 * On start-up and then every {@code recovery-interval-seconds}: takes over every saga in flight whose
 * lease ran out (its runner crashed, or paused because a dependency was down) and runs it to an end,
 * forward or compensating, as {@link SagaRunner} decides from the step it was left at.
 */
final class SagaRecovery {
    private static final System.Logger LOG = System.getLogger(SagaRecovery.class.getName());
    private static final int BATCH = 20;

    private final CheckoutRepository repo;
    private final SagaRunner runner;
    private final BackgroundJob job;

    SagaRecovery(CheckoutRepository repo, SagaRunner runner, CheckoutSettings settings) {
        this.repo = repo;
        this.runner = runner;
        // a round at start-up, then one every recovery interval; a failed round waits for the next
        this.job = BackgroundJob.builder("saga-recovery", () -> {
            runOnce();
            return false;
        }).every(settings.recoveryEvery()).retryAfter(settings.recoveryEvery(), settings.recoveryEvery()).build();
    }

    BackgroundJob job() {
        return job;
    }

    /** One recovery round; returns how many sagas it took over. */
    int runOnce() {
        // only sagas stuck before this round began: one that pauses again waits for the next round
        Instant roundStart = repo.now();
        int total = 0;
        while (true) {
            List<Saga> claimed = repo.claimStuck(roundStart, BATCH);
            if (claimed.isEmpty()) {
                return total;
            }
            total += claimed.size();
            // each one is a saga whose runner stopped holding it: the signal for a stuck-checkout alert
            SagaMetrics.recovered().increment(claimed.size());
            try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Saga saga : claimed) {
                    each.submit(() -> RequestContext.runWith("recovery:" + saga.id(), () -> resume(saga)));
                }
            }
        }
    }

    private void resume(Saga saga) {
        try {
            Saga s = runner.run(saga);
            LOG.log(Level.INFO, "Recovered checkout " + s.id() + ": " + s.step() + " / " + s.status());
        } catch (RuntimeException e) {
            // its lease runs out again and a later round retries
            SagaMetrics.recoveryFailed().increment();
            LOG.log(Level.WARNING, "Recovery of checkout " + saga.id() + " failed: " + e);
        }
    }
}
