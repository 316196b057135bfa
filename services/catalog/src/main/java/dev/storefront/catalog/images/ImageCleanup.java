package dev.storefront.catalog.images;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import io.helidon.dbclient.DbExecute;

/**
 * Deletes image objects that nothing points at any more, safely. The change that orphans them (a product
 * or an image deleted) records their keys in {@code image_object_deletions} in its own transaction; after the
 * commit the caller deletes them at once ({@link #deleteNow}) and the rows go. When that fails or the
 * process dies first, the rows stay and the catalog's {@code image-cleanup} job deletes them later, each
 * failure pausing that key longer (1 min doubling up to 6 h; never given up: S3 deletes are idempotent and
 * a missing key is no error). A job round claims a batch by pushing its rows' due time out (a lease), so
 * replicas do not work on the same keys and a crash mid-round only delays them.
 */
public final class ImageCleanup {
    private static final System.Logger LOG = System.getLogger(ImageCleanup.class.getName());
    /** Rows wait this long before the job may take them: the request that wrote them deletes them itself. */
    static final Duration GRACE = Duration.ofMinutes(1);
    /** How long a claimed row is kept from other rounds while this one deletes it. */
    static final Duration LEASE = Duration.ofMinutes(5);
    static final Duration MAX_PAUSE = Duration.ofHours(6);
    private static final int BATCH = 100;

    private final Database db;
    private final ObjectStorage storage;
    private final Duration every;

    /** One key to delete, as recorded. */
    public record Pending(UUID id, String key) {
    }

    public ImageCleanup(Database db, ObjectStorage storage, Duration every) {
        this.db = db;
        this.storage = storage;
        this.every = every;
    }

    /** Records the keys for deletion inside the caller's transaction; delete them with {@link #deleteNow} after it commits. */
    public List<Pending> enqueue(DbExecute tx, Collection<String> keys) {
        List<Pending> pending = new ArrayList<>(keys.size());
        for (String key : keys) {
            Pending p = new Pending(UUID.randomUUID(), key);
            tx.dml("INSERT INTO image_object_deletions (id, object_key, next_attempt_at) VALUES (?, ?, now() + ?::interval)",
                    p.id(), p.key(), GRACE.toSeconds() + " seconds");
            pending.add(p);
        }
        return pending;
    }

    /**
     * Deletes the objects of committed {@link #enqueue} rows and then the rows; on any failure the rest is
     * left to the job (never thrown: the change the caller made has committed already).
     */
    public void deleteNow(List<Pending> pending) {
        if (pending.isEmpty() || storage == null) {
            return;
        }
        List<UUID> done = new ArrayList<>();
        try {
            for (Pending p : pending) {
                storage.delete(List.of(p.key()));
                done.add(p.id());
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Deleting image objects failed after " + done.size() + " of " + pending.size()
                    + "; the image-cleanup job retries the rest: " + e.getMessage());
        }
        try {
            forget(done);
        } catch (RuntimeException e) {
            // the rows stay: the job deletes those (already gone) keys again, which S3 answers as done
            LOG.log(System.Logger.Level.WARNING, "Could not clear " + done.size() + " image deletions: " + e.getMessage());
        }
    }

    /**
     * Deletes objects no row has ever pointed at (an upload whose transaction failed); when the store
     * refuses, records them for the job instead, and when even that fails, logs them: an orphan then costs
     * storage only, as its key is never reused.
     */
    public void deleteOrQueue(List<String> keys) {
        if (keys.isEmpty() || storage == null) {
            return;
        }
        try {
            storage.delete(keys);
        } catch (RuntimeException e) {
            try {
                db.inTransaction(tx -> enqueue(tx, keys));
            } catch (RuntimeException again) {
                LOG.log(System.Logger.Level.WARNING, "Could not delete nor record " + keys.size() + " image objects " + keys
                        + ": " + e.getMessage() + "; " + again.getMessage());
            }
        }
    }

    /** One round of the job: deletes up to a batch of due keys; true when a full batch was due (more may be). */
    public boolean round() {
        if (storage == null) {
            return false;
        }
        record Claimed(UUID id, String key, int attempts) {
        }
        List<Claimed> claimed = db.inTransaction(tx -> Database.list(tx,
                "UPDATE image_object_deletions SET next_attempt_at = now() + ?::interval, attempts = attempts + 1 "
                        + "WHERE id IN (SELECT id FROM image_object_deletions WHERE next_attempt_at <= now() "
                        + "ORDER BY next_attempt_at LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED) RETURNING id, object_key, attempts",
                r -> new Claimed(Rows.uuid(r, "id"), Rows.string(r, "object_key"), Rows.intValue(r, "attempts")),
                LEASE.toSeconds() + " seconds"));
        List<UUID> done = new ArrayList<>();
        for (Claimed c : claimed) {
            try {
                storage.delete(List.of(c.key()));
                done.add(c.id());
            } catch (RuntimeException e) {
                Duration pause = pauseAfter(c.attempts());
                LOG.log(System.Logger.Level.WARNING, "Could not delete image object " + c.key() + " (attempt " + c.attempts()
                        + "), next try in " + pause.toMinutes() + " min: " + e.getMessage());
                db.inTransactionDo(tx -> tx.dml("UPDATE image_object_deletions SET next_attempt_at = now() + ?::interval, last_error = ? "
                        + "WHERE id = ?", pause.toSeconds() + " seconds", String.valueOf(e.getMessage()), c.id()));
            }
        }
        forget(done);
        return claimed.size() == BATCH;
    }

    /** The pause after the n-th failed attempt: 1 min, doubling, at most 6 h. */
    static Duration pauseAfter(int attempts) {
        long minutes = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        return Duration.ofMinutes(Math.min(minutes, MAX_PAUSE.toMinutes()));
    }

    /** Keys waiting for deletion (tests, and a glance at the backlog). */
    public long pending() {
        return Database.count(db.execute(), "SELECT count(*) FROM image_object_deletions");
    }

    /** The catalog's {@code image-cleanup} job: a round every {@code every} (0: never; the tests drive rounds). */
    public BackgroundJob job() {
        boolean on = !every.isZero();
        return BackgroundJob.builder("image-cleanup", () -> on && round())
                .every(every)
                .firstRunAfter(on ? Duration.ofSeconds(5) : Duration.ZERO)
                .retryAfter(Duration.ofSeconds(5), on ? every : Duration.ofSeconds(5))
                .build();
    }

    private void forget(List<UUID> ids) {
        if (!ids.isEmpty()) {
            String[] array = ids.stream().map(UUID::toString).toArray(String[]::new);
            db.inTransactionDo(tx -> tx.dml("DELETE FROM image_object_deletions WHERE id = ANY(?::uuid[])", (Object) array));
        }
    }
}
