package dev.storefront.analytics;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.db.Database;

/**
 * The day partitions of {@code events} (UTC days: a partition's bounds never depend on the shop's time
 * zone, which only the rollups use). The partition-maintenance job makes today's and the next
 * {@code partitions-ahead} days' partitions and drops those wholly older than {@code retention-days},
 * with the event ids of that age; an event for a day without a partition (a late one) gets its
 * partition made on the spot; an event older than the retention is not stored.
 */
final class EventPartitions {
    private static final System.Logger LOG = System.getLogger(EventPartitions.class.getName());
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("'events_'yyyyMMdd");

    private final Database db;
    private final AnalyticsSettings settings;
    private final Clock clock;
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();

    EventPartitions(Database db, AnalyticsSettings settings, Clock clock) {
        this.db = db;
        this.settings = settings;
        this.clock = clock;
        known.addAll(existing());
    }

    /** The oldest instant kept: midnight UTC, {@code retention-days} before today. */
    Instant cutoff() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(settings.retentionDays()).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Makes the partitions the instants fall in (those not past the retention). */
    void ensure(Collection<Instant> instants) {
        Instant cutoff = cutoff();
        for (Instant t : instants) {
            if (!t.isBefore(cutoff)) {
                create(LocalDate.ofInstant(t, ZoneOffset.UTC));
            }
        }
    }

    private void create(LocalDate day) {
        if (known.contains(day)) {
            return;
        }
        String name = NAME.format(day);
        db.execute().dml("CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF events FOR VALUES FROM ('"
                + day.atStartOfDay(ZoneOffset.UTC).toInstant() + "') TO ('"
                + day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant() + "')");
        known.add(day);
    }

    /** The days that have a partition now. */
    Set<LocalDate> existing() {
        Set<LocalDate> days = new TreeSet<>();
        Database.list(db.execute(), """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'events'""",
                r -> r.column(1).as(String.class).get()).forEach(n -> days.add(LocalDate.parse(n.substring(7), DateTimeFormatter.BASIC_ISO_DATE)));
        return days;
    }

    /** One round: partitions ahead made, expired ones dropped (with their event ids). Returns the days dropped. */
    List<LocalDate> maintain() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        for (int i = 0; i <= settings.partitionsAhead(); i++) {
            create(today.plusDays(i));
        }
        LocalDate oldestKept = today.minusDays(settings.retentionDays());
        List<LocalDate> expired = existing().stream().filter(d -> d.isBefore(oldestKept)).toList();
        for (LocalDate day : expired) {
            db.execute().dml("DROP TABLE IF EXISTS " + NAME.format(day));
            known.remove(day);
            LOG.log(Level.INFO, "Dropped raw events of " + day + " (older than " + settings.retentionDays() + " days)");
        }
        db.execute().dml("DELETE FROM event_ids WHERE occurred_at < ?", dev.storefront.common.db.Rows.param(cutoff()));
        known.retainAll(existing()); // what another replica (or an older retention setting) dropped
        return expired;
    }

    /**
     * True when {@code e} says a row found no partition: another replica, during a roll-out that shortened
     * the retention, dropped a day this one still counted as there. The list is read again, so the caller's
     * retry (the client's request once more, the bus's redelivery) makes the partition.
     */
    boolean refreshIfMissing(RuntimeException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23514".equals(s.getSQLState()) && String.valueOf(s.getMessage()).contains("no partition")) {
                known.retainAll(existing());
                LOG.log(Level.INFO, "A partition this replica knew of is gone; the list of partitions was read again");
                return true;
            }
        }
        return false;
    }

    /** The partition job; {@code alsoEachRound} runs after each round (the window totals' move to the new hour). */
    BackgroundJob job(Runnable alsoEachRound) {
        return BackgroundJob.builder("partition-maintenance", () -> {
            maintain();
            alsoEachRound.run();
            return false;
        }).every(settings.partitionInterval()).build();
    }
}
