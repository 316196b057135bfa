package dev.storefront.checkout;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.storefront.checkout.Saga.Status;
import dev.storefront.checkout.Saga.Step;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;

/**
 * Checkout's meters, all present from the start (a counter that first appears at 1 hides that first
 * increase from {@code rate()} and {@code increase()}):
 * <ul>
 *   <li>{@code storefront_checkout_sagas_total{status}}: sagas that reached their end, by outcome;</li>
 *   <li>{@code storefront_checkout_sagas_in_flight{state}}: sagas not ended, by the last step they finished
 *       (CREATED, ORDER_CREATED, STOCK_RESERVED, PAYMENT_CHARGED, COMPENSATING), counted in the saga table when
 *       scraped; ended sagas are the counter above, so the scrape reads only the in-flight index;</li>
 *   <li>{@code storefront_checkout_sagas_recovered_total} and {@code storefront_checkout_saga_recoveries_failed_total}.</li>
 * </ul>
 * The gauges read the newest checkout module of the process, so a module built again (tests, the one-process
 * launcher) does not leave them reading a closed pool.
 */
final class SagaMetrics {
    private static final AtomicReference<CheckoutRepository> CURRENT = new AtomicReference<>();
    private static final long READ_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicReference<InFlight> LAST = new AtomicReference<>(new InFlight(Map.of(), System.nanoTime() - READ_REUSE_NANOS));

    private record InFlight(Map<Step, Long> byStep, long readAtNanos) {
    }

    private SagaMetrics() {
    }

    static void register(CheckoutRepository repo) {
        CURRENT.set(repo);
        for (Status status : Status.values()) {
            if (status != Status.IN_PROGRESS) {
                ended(status);
            }
        }
        recovered();
        recoveryFailed();
        for (Step step : Step.values()) {
            if (!step.finished()) {
                Metrics.globalRegistry().getOrCreate(Gauge.builder("storefront_checkout_sagas_in_flight", () -> inFlight(step))
                        .description("Checkout sagas not yet ended, by the last step they finished")
                        .tags(List.of(Metrics.tag("state", step.name()))));
            }
        }
    }

    static void forget(CheckoutRepository repo) {
        CURRENT.compareAndSet(repo, null);
        LAST.set(new InFlight(Map.of(), System.nanoTime() - READ_REUSE_NANOS));
    }

    static Counter ended(Status status) {
        return Metrics.globalRegistry().getOrCreate(Counter.builder("storefront_checkout_sagas")
                .description("Checkout sagas that reached their end, by outcome")
                .tags(List.of(Metrics.tag("status", status.name()))));
    }

    static Counter recovered() {
        return Metrics.globalRegistry().getOrCreate(Counter.builder("storefront_checkout_sagas_recovered")
                .description("Stuck checkout sagas that recovery took over"));
    }

    static Counter recoveryFailed() {
        return Metrics.globalRegistry().getOrCreate(Counter.builder("storefront_checkout_saga_recoveries_failed")
                .description("Recovery attempts of stuck sagas that failed"));
    }

    private static long inFlight(Step step) {
        InFlight last = LAST.get();
        // the five gauges of one scrape share one read
        if (System.nanoTime() - last.readAtNanos() >= READ_REUSE_NANOS) {
            CheckoutRepository repo = CURRENT.get();
            try {
                Map<Step, Long> counts = new EnumMap<>(Step.class);
                if (repo != null) {
                    counts.putAll(repo.inFlightByStep());
                }
                last = new InFlight(counts, System.nanoTime());
                LAST.set(last);
            } catch (RuntimeException e) {
                // the database is away: the last figures stay, and the readiness check reports the database
            }
        }
        return last.byStep().getOrDefault(step, 0L);
    }
}
