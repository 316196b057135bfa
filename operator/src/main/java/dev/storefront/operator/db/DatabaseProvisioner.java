package dev.storefront.operator.db;

import org.postgresql.core.Utils;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Creates one database and one login role per service on a PostgreSQL server, through JDBC with an admin role.
 * Idempotent: what exists is kept (the role's password is set again to the value from its Secret), nothing is
 * dropped except by {@link #drop}. Each database is closed to PUBLIC, so a service's role cannot even connect to
 * another service's database.
 */
public final class DatabaseProvisioner {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** How to reach the server as a role that may CREATE DATABASE and CREATE ROLE. */
    public record AdminLogin(String host, int port, String sslMode, String username, String password) {
        String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres?sslmode=" + sslMode;
        }

        @Override
        public String toString() {
            return username + "@" + host + ":" + port; // never the password in logs or status
        }
    }

    /** One service's database, owned by its login role. */
    public record ServiceDatabase(String database, String role, String password) {
        public ServiceDatabase {
            requireIdentifier(database);
            requireIdentifier(role);
        }

        @Override
        public String toString() {
            return database + " (role " + role + ")";
        }
    }

    private final AdminLogin admin;

    public DatabaseProvisioner(AdminLogin admin) {
        this.admin = admin;
    }

    public void provision(List<ServiceDatabase> databases) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            boolean superuser = queryBoolean(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", null);
            for (ServiceDatabase db : databases) {
                String role = quote(db.role());
                String password = Utils.escapeLiteral(null, db.password(), true).toString();
                if (queryBoolean(connection, "SELECT true FROM pg_roles WHERE rolname = ?", db.role())) {
                    sql.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
                } else {
                    sql.execute("CREATE ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
                }
                if (!superuser) {
                    // a CREATEROLE admin must be a member of the role to make it a database owner
                    sql.execute("GRANT " + role + " TO CURRENT_USER");
                }
                String database = quote(db.database());
                if (!queryBoolean(connection, "SELECT true FROM pg_database WHERE datname = ?", db.database())) {
                    sql.execute("CREATE DATABASE " + database + " OWNER " + role);
                } else {
                    sql.execute("ALTER DATABASE " + database + " OWNER TO " + role);
                }
                // PostgreSQL grants CONNECT and TEMP to PUBLIC on every new database; keep only the owner
                sql.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                sql.execute("GRANT ALL ON DATABASE " + database + " TO " + role);
            }
        }
    }

    /** Drops the databases (closing their connections) and their roles; missing ones are skipped. */
    public void drop(List<ServiceDatabase> databases) throws SQLException {
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            for (ServiceDatabase db : databases) {
                sql.execute("DROP DATABASE IF EXISTS " + quote(db.database()) + " WITH (FORCE)");
                sql.execute("DROP ROLE IF EXISTS " + quote(db.role()));
            }
        }
    }

    private Connection connect() throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", admin.username());
        if (admin.password() != null && !admin.password().isEmpty()) {
            properties.setProperty("password", admin.password());
        }
        // a reconcile must not hang on an unreachable server
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("ApplicationName", "storefront-operator");
        return DriverManager.getConnection(admin.jdbcUrl(), properties);
    }

    private static boolean queryBoolean(Connection connection, String query, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            if (parameter != null) {
                statement.setString(1, parameter);
            }
            try (var rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + requireIdentifier(identifier) + "\"";
    }

    private static String requireIdentifier(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a safe PostgreSQL identifier: " + identifier);
        }
        return identifier;
    }
}
