package dev.storefront.operator.db;

import org.postgresql.core.Utils;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Creates one database and one login role per service on a PostgreSQL server, through JDBC with an admin role.
 * Idempotent: what exists is kept (the role's password is set again to the value from its Secret), nothing is
 * dropped except by {@link #drop}, and only what carries this Storefront's ownership mark ({@link Owner}) is touched. Each database is closed to PUBLIC, so a service's role cannot even connect to
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

    /**
     * Which Storefront a database or role belongs to, written as its {@code COMMENT}. A later Storefront of the same
     * namespace and name (a re-created one after reclaimPolicy Retain) adopts what carries the mark and writes its own
     * uid; anything without the mark, or with another Storefront's, is never altered or dropped.
     */
    public record Owner(String uid, String namespace, String name) {
        private static final Pattern MARK = Pattern.compile(
                "storefront\\.dev/owner uid=(\\S+) storefront=([^/\\s]+)/(\\S+)");

        public String comment() {
            return "storefront.dev/owner uid=" + uid + " storefront=" + namespace + "/" + name;
        }

        /** The owner a comment names, or null when it carries no mark. */
        public static Owner parse(String comment) {
            if (comment == null) {
                return null;
            }
            var matcher = MARK.matcher(comment);
            return matcher.find() ? new Owner(matcher.group(1), matcher.group(2), matcher.group(3)) : null;
        }

        /** The same Storefront, or an earlier one of the same namespace and name whose data was retained. */
        public boolean mayTakeOver(Owner mark) {
            return mark != null && (uid.equals(mark.uid) || (namespace.equals(mark.namespace) && name.equals(mark.name)));
        }
    }

    /** A database or role that exists but is not this Storefront's: left alone, reported. */
    public record Refusal(String kind, String name, String markedOwner) {
        public String message() {
            return kind + " " + name + (markedOwner == null ? " exists without the storefront.dev ownership mark"
                    : " belongs to Storefront " + markedOwner) + "; the operator leaves it alone";
        }
    }

    private final AdminLogin admin;

    public DatabaseProvisioner(AdminLogin admin) {
        this.admin = admin;
    }

    /**
     * Creates or updates each database and role this owner may touch; returns the ones it must not (and left alone).
     * A service whose role or database is refused is skipped entirely, so its password is never set on someone
     * else's role.
     */
    public List<Refusal> provision(Owner owner, List<ServiceDatabase> databases) throws SQLException {
        var refused = new ArrayList<Refusal>();
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            boolean superuser = queryBoolean(connection, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user", null);
            for (ServiceDatabase db : databases) {
                Mark roleMark = mark(connection, ROLE_MARK, db.role());
                Mark databaseMark = mark(connection, DATABASE_MARK, db.database());
                List<Refusal> foreign = foreign(owner, db, roleMark, databaseMark);
                if (!foreign.isEmpty()) {
                    refused.addAll(foreign);
                    continue;
                }
                String role = quote(db.role());
                String password = Utils.escapeLiteral(null, db.password(), true).toString();
                if (roleMark.exists()) {
                    sql.execute("ALTER ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
                } else {
                    sql.execute("CREATE ROLE " + role + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '" + password + "'");
                }
                sql.execute("COMMENT ON ROLE " + role + " IS " + literal(owner.comment()));
                if (!superuser) {
                    // a CREATEROLE admin must be a member of the role to make it a database owner
                    sql.execute("GRANT " + role + " TO CURRENT_USER");
                }
                String database = quote(db.database());
                if (!databaseMark.exists()) {
                    sql.execute("CREATE DATABASE " + database + " OWNER " + role);
                } else {
                    sql.execute("ALTER DATABASE " + database + " OWNER TO " + role);
                }
                sql.execute("COMMENT ON DATABASE " + database + " IS " + literal(owner.comment()));
                // PostgreSQL grants CONNECT and TEMP to PUBLIC on every new database; keep only the owner
                sql.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
                sql.execute("GRANT ALL ON DATABASE " + database + " TO " + role);
            }
        }
        return refused;
    }

    /**
     * Drops the databases (closing their connections) and roles that carry this owner's mark; missing ones are
     * skipped, foreign ones are left and returned.
     */
    public List<Refusal> drop(Owner owner, List<ServiceDatabase> databases) throws SQLException {
        var refused = new ArrayList<Refusal>();
        try (Connection connection = connect(); Statement sql = connection.createStatement()) {
            for (ServiceDatabase db : databases) {
                Mark databaseMark = mark(connection, DATABASE_MARK, db.database());
                if (databaseMark.exists() && owner.mayTakeOver(databaseMark.owner())) {
                    sql.execute("DROP DATABASE IF EXISTS " + quote(db.database()) + " WITH (FORCE)");
                } else if (databaseMark.exists()) {
                    refused.add(new Refusal("database", db.database(), describe(databaseMark.owner())));
                }
                Mark roleMark = mark(connection, ROLE_MARK, db.role());
                if (roleMark.exists() && owner.mayTakeOver(roleMark.owner())) {
                    sql.execute("DROP ROLE IF EXISTS " + quote(db.role()));
                } else if (roleMark.exists()) {
                    refused.add(new Refusal("role", db.role(), describe(roleMark.owner())));
                }
            }
        }
        return refused;
    }

    private static List<Refusal> foreign(Owner owner, ServiceDatabase db, Mark role, Mark database) {
        var refused = new ArrayList<Refusal>();
        if (role.exists() && !owner.mayTakeOver(role.owner())) {
            refused.add(new Refusal("role", db.role(), describe(role.owner())));
        }
        if (database.exists() && !owner.mayTakeOver(database.owner())) {
            refused.add(new Refusal("database", db.database(), describe(database.owner())));
        }
        return refused;
    }

    private static String describe(Owner mark) {
        return mark == null ? null : mark.namespace() + "/" + mark.name() + " (uid " + mark.uid() + ")";
    }

    private record Mark(boolean exists, Owner owner) {
    }

    private static final String ROLE_MARK = "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = ?";
    private static final String DATABASE_MARK = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = ?";

    private static Mark mark(Connection connection, String query, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? new Mark(true, Owner.parse(rows.getString(1))) : new Mark(false, null);
            }
        }
    }

    private static String literal(String text) throws SQLException {
        return "'" + Utils.escapeLiteral(null, text, true) + "'";
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
