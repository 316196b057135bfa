package dev.storefront.common.db;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.helidon.dbclient.DbRow;

/** Column readers that cope with what the PostgreSQL driver hands back. */
public final class Rows {
    private Rows() {
    }

    public static String string(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? null : v.toString();
    }

    public static UUID uuid(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? null : v instanceof UUID u ? u : UUID.fromString(v.toString());
    }

    public static BigDecimal decimal(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? null : v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
    }

    public static int intValue(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? 0 : ((Number) v).intValue();
    }

    public static long longValue(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public static long longValue(DbRow row, int index) {
        Object v = row.column(index).get(Object.class);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public static boolean bool(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        return v != null && (Boolean) v;
    }

    public static Instant instant(DbRow row, String column) {
        Object v = row.column(column).get(Object.class);
        if (v == null) {
            return null;
        }
        if (v instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (v instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (v instanceof Instant i) {
            return i;
        }
        return OffsetDateTime.parse(v.toString()).toInstant();
    }

    /** An Instant as a parameter the PostgreSQL driver accepts for timestamptz. */
    public static OffsetDateTime param(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
