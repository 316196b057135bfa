package dev.storefront.checkout;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.storefront.checkout.Harness.Shopper;
import dev.storefront.common.testing.Scrape;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What checkout's /observe/metrics says about its sagas: every outcome counter and every in-flight state from the start,
 * and a checkout paused at a step counted in that step's state until recovery ends it.
 */
@Isolated // the gauges are per process and read the newest checkout module: no other test class's module may start meanwhile
class SagaMetricsTest {
    private static final String IN_FLIGHT = "storefront_checkout_sagas_in_flight";
    private static final String ENDED = "storefront_checkout_sagas_total";
    private static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(Map.of());
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    private static String scrape() {
        TestHttp.Reply reply = h.http.get("/observe/metrics", null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.text();
    }

    private static double inFlight(String scrape, Saga.Step step) {
        return Scrape.value(scrape, IN_FLIGHT, Map.of("state", step.name())).orElse(-1);
    }

    @Test
    void aCheckoutPausedAtAStepIsCountedInThatStateUntilItEnds() {
        String before = scrape();
        for (Saga.Step step : Saga.Step.values()) {
            assertThat(Scrape.value(before, IN_FLIGHT, Map.of("state", step.name())).isPresent())
                    .as(step + ": in-flight states only (ended sagas are the outcome counter)").isEqualTo(!step.finished());
        }
        for (Saga.Status status : Saga.Status.values()) {
            assertThat(Scrape.value(before, ENDED, Map.of("status", status.name())).isPresent())
                    .as(status + " outcome counted from the start").isEqualTo(status != Saga.Status.IN_PROGRESS);
        }
        assertThat(Scrape.value(before, "storefront_checkout_sagas_recovered_total", Map.of())).isPresent();
        assertThat(Scrape.value(before, "storefront_checkout_saga_recoveries_failed_total", Map.of())).isPresent();
        double orderCreatedBefore = inFlight(before, Saga.Step.ORDER_CREATED);
        double completedBefore = Scrape.value(before, ENDED, Map.of("status", "COMPLETED")).orElseThrow();

        Shopper s = h.shopper("5.00", 1, 3);
        h.fakes.server.down("inventory.reserve");
        TestHttp.Reply paused = h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        assertThat(paused.status()).as(paused.toString()).isEqualTo(503);
        UUID id = UUID.fromString(paused.data().path("id").asText());
        assertThat(h.saga(id).step()).isEqualTo(Saga.Step.ORDER_CREATED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String during = scrape();
            assertThat(inFlight(during, Saga.Step.ORDER_CREATED)).as("the paused checkout").isEqualTo(orderCreatedBefore + 1);
            assertThat(inFlight(during, Saga.Step.STOCK_RESERVED)).isZero();
        });

        h.fakes.heal();
        assertThat(h.module.recovery().runOnce()).isEqualTo(1);
        assertThat(h.saga(id).step()).isEqualTo(Saga.Step.COMPLETED);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = scrape();
            assertThat(inFlight(after, Saga.Step.ORDER_CREATED)).as("ended: no longer in flight").isEqualTo(orderCreatedBefore);
            assertThat(Scrape.value(after, ENDED, Map.of("status", "COMPLETED")).orElseThrow()).isEqualTo(completedBefore + 1);
        });
    }
}
