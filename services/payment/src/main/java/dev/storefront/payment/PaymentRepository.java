package dev.storefront.payment;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of payment's SQL. Every status change is one conditional UPDATE on the expected status. */
public final class PaymentRepository {
    private static final String COLUMNS = "id, order_id, user_id, amount, currency, status, provider, provider_payment_id,"
            + " failure_reason, created_at, payment_method";

    private final Database db;

    public PaymentRepository(Database db) {
        this.db = db;
    }

    /** Records a PENDING charge before the provider is called; false when the order already has one. */
    public boolean insertPending(ChargeRequest c, String provider) {
        return db.execute().insert("""
                INSERT INTO payments (id, order_id, user_id, amount, currency, payment_method, status, provider, idempotency_key)
                VALUES (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?) ON CONFLICT (order_id) DO NOTHING""",
                UUID.randomUUID(), c.orderId(), c.userId(), c.amount(), c.currency(), c.paymentMethod(), provider,
                "charge-" + c.orderId()) == 1;
    }

    public Optional<Payment> byId(UUID id) {
        return Database.one(db.execute(), "SELECT " + COLUMNS + " FROM payments WHERE id = ?", PaymentRepository::payment, id);
    }

    public Optional<Payment> byOrder(DbExecute exec, UUID orderId) {
        return Database.one(exec, "SELECT " + COLUMNS + " FROM payments WHERE order_id = ?", PaymentRepository::payment, orderId);
    }

    public Optional<Payment> byOrder(UUID orderId) {
        return byOrder(db.execute(), orderId);
    }

    public Optional<Payment> byProviderPaymentId(DbExecute exec, String providerPaymentId) {
        return Database.one(exec, "SELECT " + COLUMNS + " FROM payments WHERE provider_payment_id = ?",
                PaymentRepository::payment, providerPaymentId);
    }

    /**
     * Takes the right to talk to the provider about a PENDING payment for {@code lease}: at most
     * one request holds it at a time; a holder that crashed loses it when the lease runs out.
     */
    public Optional<Payment> claim(UUID orderId, Duration lease) {
        return Database.one(db.execute(), """
                UPDATE payments SET locked_until = now() + ? * interval '1 millisecond', attempts = attempts + 1, updated_at = now()
                WHERE order_id = ? AND status = 'PENDING' AND (locked_until IS NULL OR locked_until < now())
                RETURNING""" + " " + COLUMNS, PaymentRepository::payment, lease.toMillis(), orderId);
    }

    /** Gives the claim back without an outcome (provider unavailable or still processing). */
    public void release(UUID id, String providerPaymentId) {
        db.execute().update("""
                UPDATE payments SET locked_until = NULL, provider_payment_id = COALESCE(?, provider_payment_id), updated_at = now()
                WHERE id = ? AND status = 'PENDING'""", providerPaymentId, id);
    }

    /**
     * Moves a payment from {@code from} to {@code to}; empty when it is no longer in {@code from}
     * (someone else moved it first).
     */
    public Optional<Payment> transition(DbExecute tx, UUID id, Payment.Status from, Payment.Status to,
                                        String providerPaymentId, String failureReason, String providerRefundId) {
        return Database.one(tx, """
                UPDATE payments SET status = ?, provider_payment_id = COALESCE(?, provider_payment_id),
                       failure_reason = COALESCE(?, failure_reason), provider_refund_id = COALESCE(?, provider_refund_id),
                       locked_until = NULL, updated_at = now()
                WHERE id = ? AND status = ?
                RETURNING""" + " " + COLUMNS, PaymentRepository::payment,
                to.name(), providerPaymentId, failureReason, providerRefundId, id, from.name());
    }

    /** Remembers a provider webhook event; false when it was seen before. */
    public boolean recordWebhookEvent(DbExecute tx, String eventId, String type) {
        return tx.insert("INSERT INTO webhook_events (event_id, type) VALUES (?, ?) ON CONFLICT DO NOTHING", eventId, type) == 1;
    }

    private static Payment payment(DbRow r) {
        return new Payment(Rows.uuid(r, "id"), Rows.uuid(r, "order_id"), Rows.uuid(r, "user_id"), Rows.decimal(r, "amount"),
                Rows.string(r, "currency"), Payment.Status.valueOf(Rows.string(r, "status")), Rows.string(r, "provider"),
                Rows.string(r, "provider_payment_id"), Rows.string(r, "failure_reason"), Rows.instant(r, "created_at"),
                Rows.string(r, "payment_method"));
    }
}
