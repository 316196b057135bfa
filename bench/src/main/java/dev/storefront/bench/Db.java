package dev.storefront.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain JDBC to the bench's own databases (named by its prefix, never the dev ones): used to
 * seed in bulk and to check the flash sale's outcome where the API has no view of it.
 */
final class Db {
    static final String HOST = System.getProperty("bench.db.host", "127.0.0.1:5432");

    private Db() {
    }

    static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + "/" + database, "postgres", "");
    }

    static boolean exists(String database) {
        try (Connection c = connect("postgres");
             PreparedStatement st = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            st.setString(1, database);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> strings(String database, String sql, Object... params) {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(database); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + e.getMessage(), e);
        }
        return out;
    }

    static long count(String database, String sql, Object... params) {
        List<String> v = strings(database, sql, params);
        return v.isEmpty() || v.get(0) == null ? 0 : Long.parseLong(v.get(0));
    }

    static int update(String database, String sql, Object... params) {
        try (Connection c = connect(database); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, params[i]);
            }
            return st.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(database + ": " + e.getMessage(), e);
        }
    }
}
