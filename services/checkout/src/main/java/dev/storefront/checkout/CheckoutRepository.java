package dev.storefront.checkout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.checkout.Saga.Action;
import dev.storefront.checkout.Saga.Status;
import dev.storefront.checkout.Saga.Step;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbRow;

/**
 * All the SQL of checkout. Every change to a saga is one statement guarded by the runner's lease
 * token, so a runner that lost its lease (another replica took the saga over) cannot overwrite it.
 */
final class CheckoutRepository {
    private static final String IN_FLIGHT = "step NOT IN ('COMPLETED', 'COMPENSATED')";
    private static final String NEW_LEASE = "lease_token = gen_random_uuid(), locked_until = now() + ?::interval";

    private final Database db;
    private final String lease;

    CheckoutRepository(Database db, Duration lease) {
        this.db = db;
        this.lease = lease.toSeconds() + " seconds";
    }

    /** Thrown when a runner's lease was taken over: it must stop without writing. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(UUID id) {
            super("lease on saga " + id + " was taken over", null, false, false);
        }
    }

    /** Sagas not ended, by the last step they finished (the in-flight index answers it). */
    java.util.Map<Step, Long> inFlightByStep() {
        java.util.Map<Step, Long> counts = new java.util.EnumMap<>(Step.class);
        for (var row : Database.list(db.execute(), "SELECT step, count(*) AS n FROM sagas WHERE " + IN_FLIGHT + " GROUP BY step",
                r -> java.util.Map.entry(Step.valueOf(Rows.string(r, "step")), Rows.longValue(r, "n")))) {
            counts.put(row.getKey(), row.getValue());
        }
        return counts;
    }

    Optional<Saga> find(UUID id) {
        return Database.one(db.execute(), "SELECT * FROM sagas WHERE id = ?", CheckoutRepository::saga, id);
    }

    Optional<Saga> find(UUID userId, String idempotencyKey) {
        return Database.one(db.execute(), "SELECT * FROM sagas WHERE user_id = ? AND idempotency_key = ?",
                CheckoutRepository::saga, userId, idempotencyKey);
    }

    /** Starts a saga holding its lease, or nothing when the user already used this key. */
    Optional<Saga> insert(UUID id, UUID userId, String idempotencyKey, String requestHash, String paymentMethod,
                          OrderDraft draft) {
        return Database.one(db.execute(), """
                INSERT INTO sagas (id, user_id, idempotency_key, request_hash, payment_method, order_draft, amount,
                                   currency, lease_token, locked_until)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, gen_random_uuid(), now() + ?::interval)
                ON CONFLICT (user_id, idempotency_key) DO NOTHING
                RETURNING *""", CheckoutRepository::saga,
                id, userId, idempotencyKey, requestHash, paymentMethod, Json.write(draft), draft.total(),
                draft.currency(), lease);
    }

    /** Takes over one saga in flight whose lease ran out (its runner died or gave up for now). */
    Optional<Saga> claim(UUID id) {
        return Database.one(db.execute(), "UPDATE sagas SET " + NEW_LEASE + ", attempts = attempts + 1, updated_at = now()"
                + " WHERE id = ? AND " + IN_FLIGHT + " AND locked_until < now() RETURNING *",
                CheckoutRepository::saga, lease, id);
    }

    /**
     * Takes over up to {@code limit} stuck sagas whose lease ran out before {@code before}. SKIP LOCKED:
     * two replicas recovering at once each get different sagas, never the same one.
     */
    List<Saga> claimStuck(Instant before, int limit) {
        return Database.list(db.execute(), "UPDATE sagas SET " + NEW_LEASE + ", attempts = attempts + 1, updated_at = now()"
                + " WHERE id IN (SELECT id FROM sagas WHERE " + IN_FLIGHT + " AND locked_until < ?"
                + " ORDER BY locked_until LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING *",
                CheckoutRepository::saga, lease, Rows.param(before), limit);
    }

    Instant now() {
        return db.execute().get("SELECT now() AS now").map(r -> Rows.instant(r, "now")).orElseThrow();
    }

    /** Records that {@code action} is about to be called. */
    Saga begin(Saga s, Action action) {
        return update(s, "action = ?", action.name());
    }

    Saga orderCreated(Saga s, UUID orderId, java.math.BigDecimal amount, String currency) {
        return update(s, "step = 'ORDER_CREATED', action = NULL, order_id = ?, amount = ?, currency = ?",
                orderId, amount, currency);
    }

    Saga stockReserved(Saga s) {
        return update(s, "step = 'STOCK_RESERVED', action = NULL");
    }

    Saga charged(Saga s, UUID transactionId) {
        return update(s, "step = 'PAYMENT_CHARGED', action = NULL, charged = true, transaction_id = ?", transactionId);
    }

    /** The outcome is decided (the shopper is told it now); what was done is undone next. */
    Saga compensating(Saga s, Status outcome, String reason, JsonNode details, UUID transactionId) {
        return update(s, "step = 'COMPENSATING', action = NULL, status = ?, failure_reason = ?, failure_details = ?::jsonb,"
                        + " transaction_id = COALESCE(?, transaction_id)",
                outcome.name(), reason, details == null ? null : details.toString(), transactionId);
    }

    Saga completed(Saga s) {
        return finish(s, "step = 'COMPLETED', status = 'COMPLETED'");
    }

    Saga compensated(Saga s) {
        return finish(s, "step = 'COMPENSATED'");
    }

    /** Gives the lease back after a dependency failed, so the next recovery round retries at once. */
    void release(Saga s, String error) {
        db.execute().dml("UPDATE sagas SET lease_token = NULL, locked_until = now(), last_error = ?, updated_at = now()"
                + " WHERE id = ? AND lease_token = ?", error, s.id(), s.leaseToken());
    }

    private Saga finish(Saga s, String assignments) {
        return guarded(s, assignments + ", action = NULL, lease_token = NULL, finished_at = now(), updated_at = now()");
    }

    private Saga update(Saga s, String assignments, Object... params) {
        return guarded(s, assignments + ", locked_until = now() + ?::interval, updated_at = now()",
                append(params, lease));
    }

    private Saga guarded(Saga s, String assignments, Object... params) {
        Object[] all = append(append(params, s.id()), s.leaseToken());
        return Database.one(db.execute(), "UPDATE sagas SET " + assignments + " WHERE id = ? AND lease_token = ? RETURNING *",
                CheckoutRepository::saga, all).orElseThrow(() -> new LeaseLost(s.id()));
    }

    private static Object[] append(Object[] params, Object last) {
        Object[] all = java.util.Arrays.copyOf(params, params.length + 1);
        all[params.length] = last;
        return all;
    }

    private static Saga saga(DbRow r) {
        String action = Rows.string(r, "action");
        return new Saga(Rows.uuid(r, "id"), Rows.uuid(r, "user_id"), Rows.string(r, "idempotency_key"),
                Rows.string(r, "request_hash"), Rows.string(r, "payment_method"),
                Json.read(Rows.string(r, "order_draft"), OrderDraft.class), Rows.decimal(r, "amount"),
                Rows.string(r, "currency"), Step.valueOf(Rows.string(r, "step")),
                action == null ? null : Action.valueOf(action), Status.valueOf(Rows.string(r, "status")),
                Rows.uuid(r, "order_id"), Rows.uuid(r, "transaction_id"), Rows.bool(r, "charged"),
                Rows.string(r, "failure_reason"), json(Rows.string(r, "failure_details")), Rows.intValue(r, "attempts"),
                Rows.uuid(r, "lease_token"), Rows.instant(r, "locked_until"), Rows.instant(r, "created_at"));
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("failure_details is not JSON", e);
        }
    }
}
