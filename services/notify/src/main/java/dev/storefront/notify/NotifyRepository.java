package dev.storefront.notify;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.Page;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of notify's SQL. */
public final class NotifyRepository {
    private static final String COLUMNS = "id, user_id, channel, template, subject, body, status, attempts, created_at, sent_at";

    /** A row claimed for sending. */
    public record Outgoing(UUID id, String recipient, Templates.Rendered mail, int attempts, String traceparent) {
    }

    private final Database db;

    public NotifyRepository(Database db) {
        this.db = db;
    }

    /** Inserts a notification; empty when this event already made one for this recipient. */
    public Optional<Notification> insert(DbExecute tx, UUID userId, String recipient, String template, Templates.Rendered mail,
                                         Notification.Status status, UUID eventId) {
        if (status == Notification.Status.PENDING) {
            Database.wakeOnCommit(); // the mail sender picks it up once the transaction commits
        }
        return Database.one(tx, """
                INSERT INTO notifications (id, user_id, recipient, template, subject, body, body_html, status, event_id, traceparent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id, recipient) DO NOTHING
                RETURNING""" + " " + COLUMNS, NotifyRepository::notification,
                UUID.randomUUID(), userId, recipient, template, mail.subject(), mail.text(), mail.html(), status.name(), eventId,
                Tracing.traceparent());
    }

    public List<Notification> forUser(UUID userId, Page page) {
        return Database.list(db.execute(), "SELECT " + COLUMNS + " FROM notifications WHERE user_id = ?"
                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                NotifyRepository::notification, userId, page.limit(), page.offset());
    }

    public long countForUser(UUID userId) {
        return Database.count(db.execute(), "SELECT count(*) FROM notifications WHERE user_id = ?", userId);
    }

    /**
     * Claims due PENDING rows for {@code lease} (counting the attempt): replicas skip each
     * other's rows, and a sender that dies mid-send leaves them to be retried after the lease.
     */
    public List<Outgoing> claimDue(int limit, Duration lease) {
        return Database.list(db.execute(), """
                UPDATE notifications SET next_attempt_at = now() + ? * interval '1 millisecond', attempts = attempts + 1
                WHERE id IN (SELECT id FROM notifications WHERE status = 'PENDING' AND next_attempt_at <= now()
                             ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING id, recipient, subject, body, body_html, attempts, traceparent""",
                r -> new Outgoing(Rows.uuid(r, "id"), Rows.string(r, "recipient"),
                        new Templates.Rendered(Rows.string(r, "subject"), Rows.string(r, "body"), Rows.string(r, "body_html")),
                        Rows.intValue(r, "attempts"), Rows.string(r, "traceparent")),
                lease.toMillis(), limit);
    }

    public void markSent(UUID id) {
        db.execute().update("UPDATE notifications SET status = 'SENT', sent_at = now(), last_error = NULL"
                + " WHERE id = ? AND status = 'PENDING'", id);
    }

    /** Schedules another attempt after {@code delay}, or gives up (FAILED) when {@code delay} is null. */
    public void markAttemptFailed(UUID id, String error, Duration delay) {
        if (delay == null) {
            db.execute().update("UPDATE notifications SET status = 'FAILED', last_error = ? WHERE id = ? AND status = 'PENDING'",
                    error, id);
        } else {
            db.execute().update("UPDATE notifications SET last_error = ?, next_attempt_at = now() + ? * interval '1 millisecond'"
                    + " WHERE id = ? AND status = 'PENDING'", error, delay.toMillis(), id);
        }
    }

    private static Notification notification(DbRow r) {
        return new Notification(Rows.uuid(r, "id"), Rows.uuid(r, "user_id"), Rows.string(r, "channel"), Rows.string(r, "template"),
                Rows.string(r, "subject"), Rows.string(r, "body"), Notification.Status.valueOf(Rows.string(r, "status")),
                Rows.intValue(r, "attempts"), Rows.instant(r, "created_at"), Rows.instant(r, "sent_at"));
    }
}
