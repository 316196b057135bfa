package dev.storefront.checkout;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.storefront.checkout.Harness.Shopper;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst beyond the saga slots waits briefly, then gets a 429 with nothing recorded. */
class CheckoutAdmissionTest {
    private static Harness h;

    @BeforeAll
    static void start() {
        h = new Harness(Map.of("storefront.checkout.max-running", "1", "storefront.checkout.admission-wait-ms", "300"));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aCheckoutBeyondTheSlotsIs429WithNothingRecordedAndSucceedsWhenRetried() throws Exception {
        Shopper first = h.shopper("5.00", 1, 3);
        Shopper second = h.shopper("6.00", 1, 3);
        CountDownLatch charging = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        h.module.runner().onCheckpoint(point -> {
            if (point.equals("before CHARGE")) {
                charging.countDown();
                await(goOn);
            }
        });
        CompletableFuture<TestHttp.Reply> holding = CompletableFuture.supplyAsync(
                () -> h.checkout(first.token(), Harness.key(), Harness.body("pm_card_visa")));
        assertThat(charging.await(10, TimeUnit.SECONDS)).isTrue();

        String key = Harness.key();
        TestHttp.Reply busy = h.checkout(second.token(), key, Harness.body("pm_card_visa"));

        assertThat(busy.status()).as(busy.toString()).isEqualTo(429);
        assertThat(busy.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(h.fakes.ordersOf(second.userId())).isEmpty();
        assertThat(h.fakes.stockOf(second.productId())).containsExactly(3, 0, 0);

        goOn.countDown();
        h.module.runner().onCheckpoint(point -> { });
        assertThat(holding.get(10, TimeUnit.SECONDS).status()).isEqualTo(201);
        TestHttp.Reply retried = h.checkout(second.token(), key, Harness.body("pm_card_visa"));
        assertThat(retried.status()).as(retried.toString()).isEqualTo(201);
        assertThat(h.fakes.ordersOf(second.userId())).hasSize(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
