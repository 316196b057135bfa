package dev.storefront.checkout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.storefront.checkout.Harness.Shopper;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Timeouts, dependencies down and crashes at every step: each checkout ends consistent, charged at most once. */
class CheckoutRecoveryTest {
    private static Harness h;

    /** Thrown by the checkpoint hook: the "process" dies there. */
    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String point) {
            super("simulated crash at " + point, null, false, false);
        }
    }

    @BeforeAll
    static void start() {
        h = new Harness(Map.of());
    }

    @AfterEach
    void reset() {
        h.fakes.heal();
        h.module.runner().onCheckpoint(point -> { });
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @Test
    void aChargeThatTimesOutIsRetriedAndChargedOnce() throws Exception {
        Shopper s = h.shopper("12.00", 1, 3);
        int callsBefore = h.fakes.server.calls("payment.charge");
        h.fakes.server.delayOnce("payment.charge", Harness.TOO_LATE_MS);

        TestHttp.Reply reply = h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        UUID orderId = UUID.fromString(reply.data().path("orderId").asText());
        assertThat(h.fakes.server.calls("payment.charge") - callsBefore).isEqualTo(2);
        assertThat(h.fakes.providerChargesFor(orderId)).isEqualTo(1);
        assertConsistent(s, Saga.Status.COMPLETED);
    }

    @Test
    void aDependencyDownIs503AndRecoveryFinishesTheCheckoutLater() throws Exception {
        Shopper s = h.shopper("9.00", 2, 4);
        String key = Harness.key();
        h.fakes.server.down("inventory.reserve");

        TestHttp.Reply down = h.checkout(s.token(), key, Harness.body("pm_card_visa"));

        assertThat(down.status()).as(down.toString()).isEqualTo(503);
        assertThat(down.errorCode()).isEqualTo("DEPENDENCY_UNAVAILABLE");
        assertThat(down.header("Retry-After")).isNotNull();
        assertThat(down.data().path("status").asText()).isEqualTo("IN_PROGRESS");
        String id = down.data().path("id").asText();
        assertThat(h.saga(UUID.fromString(id)).step()).isEqualTo(Saga.Step.ORDER_CREATED);

        h.fakes.heal();
        double recoveredBefore = recovered();
        int tookOver = h.module.recovery().runOnce();
        assertThat(tookOver).isGreaterThanOrEqualTo(1);
        // the counter the chart's CheckoutSagasStuck alert watches
        assertThat(recovered() - recoveredBefore).isEqualTo(tookOver);

        TestHttp.Reply later = h.http.get("/api/checkout/" + id, s.token());
        assertThat(later.data().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(h.checkout(s.token(), key, Harness.body("pm_card_visa")).status()).isEqualTo(200);
        assertConsistent(s, Saga.Status.COMPLETED);
    }

    @Test
    void aChargeWhoseOutcomeWasLostIsAskedForAndUndoneWhenItNeverHappened() throws Exception {
        Shopper s = h.shopper("9.00", 1, 4);
        h.fakes.server.down("payment.charge");

        TestHttp.Reply down = h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        assertThat(down.status()).isEqualTo(503);

        h.fakes.heal();
        h.module.recovery().runOnce();
        assertConsistent(s, Saga.Status.COMPENSATED);
    }

    @Test
    void aChargeLeftPendingByACrashedPaymentIsSentAgainAndSettlesOnce() throws Exception {
        Shopper s = h.shopper("6.00", 1, 4);
        h.fakes.dyingCharges.set(3); // every attempt of the first request dies mid-charge

        TestHttp.Reply down = h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        assertThat(down.status()).as(down.toString()).isEqualTo(503);

        h.module.recovery().runOnce();
        assertConsistent(s, Saga.Status.COMPLETED);
        UUID orderId = h.saga(UUID.fromString(down.data().path("id").asText())).orderId();
        assertThat(h.fakes.providerChargesFor(orderId)).isEqualTo(1);
    }

    @Test
    void aRepeatedRequestResumesAPausedCheckoutAtOnce() throws Exception {
        Shopper s = h.shopper("4.00", 1, 4);
        String key = Harness.key();
        h.fakes.server.down("order.create");
        assertThat(h.checkout(s.token(), key, Harness.body("pm_card_visa")).status()).isEqualTo(503);

        h.fakes.heal();
        TestHttp.Reply retry = h.checkout(s.token(), key, Harness.body("pm_card_visa"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.data().path("status").asText()).isEqualTo("COMPLETED");
        assertConsistent(s, Saga.Status.COMPLETED);
    }

    @Test
    void aCheckoutStuckPastTheResumeWindowIsUndoneNotCharged() throws Exception {
        Shopper s = h.shopper("4.00", 1, 4);
        crashAt("recorded ORDER_CREATED");
        h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        h.sql("UPDATE sagas SET created_at = now() - interval '1 hour' WHERE user_id = '" + s.userId() + "'");
        h.expireLeases();

        h.module.recovery().runOnce();

        assertConsistent(s, Saga.Status.COMPENSATED);
        assertThat(h.fakes.payments).doesNotContainKey(h.sagaOf(s.userId()).orderId());
    }

    @ParameterizedTest(name = "{0}: crash at ''{1}'' ends {2}")
    @CsvSource({
            "pm_card_visa, before CREATE_ORDER, COMPLETED",
            "pm_card_visa, after CREATE_ORDER, COMPLETED",
            "pm_card_visa, recorded ORDER_CREATED, COMPLETED",
            "pm_card_visa, before RESERVE_STOCK, COMPLETED",
            "pm_card_visa, after RESERVE_STOCK, COMPLETED",
            "pm_card_visa, recorded STOCK_RESERVED, COMPLETED",
            // the charge was about to be made: its outcome is unknown, payment has none, so it is undone
            "pm_card_visa, before CHARGE, COMPENSATED",
            // charged but not recorded: payment says COMPLETED, so it goes on
            "pm_card_visa, after CHARGE, COMPLETED",
            "pm_card_visa, recorded PAYMENT_CHARGED, COMPLETED",
            "pm_card_visa, before CONFIRM_ORDER, COMPLETED",
            "pm_card_visa, after CONFIRM_ORDER, COMPLETED",
            "pm_card_visa, before COMMIT_STOCK, COMPLETED",
            "pm_card_visa, after COMMIT_STOCK, COMPLETED",
            "pm_card_visa, before CLEAR_CART, COMPLETED",
            "pm_card_visa, after CLEAR_CART, COMPLETED",
            "pm_card_chargeDeclined, before CHARGE, COMPENSATED",
            "pm_card_chargeDeclined, recorded COMPENSATING, PAYMENT_FAILED",
            "pm_card_chargeDeclined, before RELEASE_STOCK, PAYMENT_FAILED",
            "pm_card_chargeDeclined, after RELEASE_STOCK, PAYMENT_FAILED",
            "pm_card_chargeDeclined, before CANCEL_ORDER, PAYMENT_FAILED",
            "pm_card_chargeDeclined, after CANCEL_ORDER, PAYMENT_FAILED",
    })
    void aCrashAtAnyPointIsRecoveredToAConsistentEnd(String paymentMethod, String point, Saga.Status expected)
            throws Exception {
        Shopper s = h.shopper("7.25", 2, 5);
        AtomicBoolean crashed = crashAt(point);

        TestHttp.Reply reply = h.checkout(s.token(), Harness.key(), Harness.body(paymentMethod));
        assertThat(crashed).as("crashed at " + point + ": " + reply).isTrue();
        assertThat(reply.status()).isEqualTo(500);

        h.expireLeases();
        assertThat(h.module.recovery().runOnce()).isEqualTo(1);

        assertConsistent(s, expected);
    }

    @Test
    void anOutOfStockCheckoutCrashedWhileUndoingEndsOutOfStock() throws Exception {
        Shopper s = h.shopper("3.00", 4, 1);
        h.fakes.staleStockView.add(s.productId()); // the shortage is found by the reservation, not the first look
        crashAt("before CANCEL_ORDER");
        h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        h.expireLeases();
        h.module.recovery().runOnce();
        assertConsistent(s, Saga.Status.OUT_OF_STOCK);
    }

    @Test
    void twoReplicasRecoveringAtOnceRunEachSagaOnce() throws Exception {
        List<Shopper> shoppers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Shopper s = h.shopper("1.00", 1, 2);
            shoppers.add(s);
            crashAt("after CHARGE");
            h.checkout(s.token(), Harness.key(), Harness.body("pm_card_visa"));
        }
        h.expireLeases();

        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> h.module.recovery().runOnce());
        CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> h.module.recovery().runOnce());

        assertThat(a.get() + b.get()).isEqualTo(6);
        for (Shopper s : shoppers) {
            assertConsistent(s, Saga.Status.COMPLETED);
            assertThat(h.sagaOf(s.userId()).attempts()).isEqualTo(2); // started once, taken over once
        }
    }

    private static AtomicBoolean crashAt(String point) {
        AtomicBoolean crashed = new AtomicBoolean();
        h.module.runner().onCheckpoint(p -> {
            if (p.equals(point) && crashed.compareAndSet(false, true)) {
                throw new SimulatedCrash(p);
            }
        });
        return crashed;
    }

    /** The saga ended, and every neighbour agrees with its outcome; nothing was charged twice. */
    private static void assertConsistent(Shopper s, Saga.Status expected) throws Exception {
        Saga saga = h.sagaOf(s.userId());
        assertThat(saga.status()).as("status of " + saga).isEqualTo(expected);
        assertThat(saga.step().finished()).as("step of " + saga).isTrue();
        List<Neighbours.Order> orders = h.fakes.ordersOf(s.userId());
        assertThat(orders).hasSizeLessThanOrEqualTo(1);
        int[] stock = h.fakes.stockOf(s.productId());
        int quantity = h.fakes.products.containsKey(s.productId()) ? stock[0] + stock[1] + stock[2] : 0;
        if (expected == Saga.Status.COMPLETED) {
            Neighbours.Order order = orders.getFirst();
            assertThat(order.id()).isEqualTo(saga.orderId());
            assertThat(order.status()).isEqualTo("CONFIRMED");
            Neighbours.Payment payment = h.fakes.payments.get(order.id());
            assertThat(payment.status()).isEqualTo("COMPLETED");
            assertThat(payment.id()).isEqualTo(saga.transactionId()).isEqualTo(order.paymentTransactionId());
            assertThat(h.fakes.reservations.get(order.id()).state()).isEqualTo("COMMITTED");
            assertThat(stock[1]).isZero();
            assertThat(stock[2]).isPositive();
            assertThat(h.fakes.carts).doesNotContainKey(s.userId());
        } else {
            for (Neighbours.Order order : orders) {
                assertThat(order.status()).isEqualTo("CANCELLED");
                Neighbours.Payment payment = h.fakes.payments.get(order.id());
                assertThat(payment == null ? "NONE" : payment.status()).isIn("NONE", "FAILED", "REFUNDED");
            }
            assertThat(stock[1]).as("reserved").isZero();
            assertThat(stock[2]).as("sold").isZero();
        }
        assertThat(stock[0] + stock[1] + stock[2]).isEqualTo(quantity);
        for (Neighbours.Order order : orders) {
            assertThat(h.fakes.providerChargesFor(order.id())).isLessThanOrEqualTo(1);
        }
    }

    private static double recovered() {
        return io.helidon.metrics.api.Metrics.globalRegistry().getOrCreate(
                io.helidon.metrics.api.Counter.builder("storefront_checkout_sagas_recovered")).count();
    }
}
