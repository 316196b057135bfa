package dev.storefront.common.db;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.storefront.common.web.ApiException;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import org.flywaydb.core.Flyway;

/**
 * A service's own database: created if missing (local runs), migrated with Flyway at start-up,
 * then used through Helidon's DbClient over a Hikari pool. Transactions go through
 * {@link #inTransaction}, which retries serialisation failures and deadlocks and tells
 * listeners (the outbox relay) when something committed.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Database.class.getName());
    private static final Pattern DB_NAME = Pattern.compile("^(jdbc:postgresql://[^/]+/)([A-Za-z0-9_]+)(.*)$");
    private static final int MAX_ATTEMPTS = 5;

    private final String service;
    private final String url;
    private final DbClient client;
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();
    /** Set by {@link #wakeOnCommit()} inside {@link #inTransaction}; null when the transaction woke nobody. */
    private static final ThreadLocal<Boolean> WAKE_ON_COMMIT = new ThreadLocal<>();

    private Database(String service, String url, DbClient client) {
        this.service = service;
        this.url = url;
        this.client = client;
    }

    /**
     * Opens the database of {@code service} from config {@code storefront.db}: url (default
     * {@code jdbc:postgresql://127.0.0.1:5432/storefront_<service>}), user, password, pool-size,
     * create-database. Runs the kit's migrations, then the service's {@code db/migration/<service>}.
     */
    public static Database open(Config config, String service) {
        Config db = config.get("storefront.db");
        String url = url(config, service);
        String user = db.get("user").asString().orElse("postgres");
        String password = db.get("password").asString().orElse("");
        int poolSize = db.get("pool-size").asInt().orElse(10);
        if (db.get("create-database").asBoolean().orElse(true)) {
            createDatabaseIfMissing(url, user, password);
        }
        migrate(url, user, password, service);
        Config clientConfig = Config.just(ConfigSources.create(Map.of(
                "source", "jdbc",
                "connection.url", url,
                "connection.username", user,
                "connection.password", password,
                "connection.maximumPoolSize", String.valueOf(poolSize),
                "connection.minimumIdle", "1",
                "connection.poolName", "db-" + service,
                "connection.connectionTimeout", "5000")));
        return new Database(service, url, DbClient.create(clientConfig.get("")));
    }

    /** The JDBC URL of {@code service}'s database from {@code storefront.db.url}. */
    public static String url(Config config, String service) {
        return withStringTypeUnspecified(config.get("storefront.db.url").asString()
                .orElse("jdbc:postgresql://127.0.0.1:5432/storefront_" + service));
    }

    /**
     * Whether {@code service}'s database can be opened now: null when it can (or when only the database
     * is missing and {@code storefront.db.create-database} lets the service create it), else why not.
     */
    public static String unreachableReason(Config config, String service) {
        Config db = config.get("storefront.db");
        boolean mayCreate = db.get("create-database").asBoolean().orElse(true);
        Properties login = new Properties();
        login.setProperty("user", db.get("user").asString().orElse("postgres"));
        login.setProperty("password", db.get("password").asString().orElse(""));
        login.setProperty("connectTimeout", "5");
        login.setProperty("loginTimeout", "5");
        try (Connection c = DriverManager.getConnection(url(config, service), login)) {
            return null;
        } catch (SQLException e) {
            if (mayCreate && "3D000".equals(e.getSQLState())) { // invalid catalog name: we create it
                return null;
            }
            return e.getMessage();
        }
    }

    /**
     * DbClient binds UUIDs (and other unknown types) as strings; with {@code stringtype=unspecified}
     * PostgreSQL infers the column's type instead of refusing text for a uuid column.
     */
    static String withStringTypeUnspecified(String url) {
        if (url.contains("stringtype=")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "stringtype=unspecified";
    }

    public static void createDatabaseIfMissing(String url, String user, String password) {
        Matcher m = DB_NAME.matcher(url);
        if (!m.matches()) {
            return;
        }
        String name = m.group(2);
        String adminUrl = m.group(1) + "postgres" + m.group(3);
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
             var check = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            check.setString(1, name);
            if (!check.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("CREATE DATABASE \"" + name + "\"");
                    LOG.log(Level.INFO, "Created database " + name);
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // created concurrently: fine
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach PostgreSQL at " + adminUrl + " (" + e.getMessage()
                    + "). Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", e);
        }
    }

    private static void migrate(String url, String user, String password, String service) {
        Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration/_kit").table("flyway_kit_history")
                .baselineOnMigrate(false).load().migrate();
        Flyway.configure().dataSource(url, user, password)
                .locations("classpath:db/migration/" + service).table("flyway_schema_history")
                .baselineOnMigrate(true).baselineVersion("0") // the kit's tables are already there
                .load().migrate();
    }

    public String service() {
        return service;
    }

    public String url() {
        return url;
    }

    public DbClient client() {
        return client;
    }

    /** Statements outside a transaction (each autocommits). */
    public DbExecute execute() {
        return client.execute();
    }

    /**
     * Runs {@code listener} after each commit of a transaction that called {@link #wakeOnCommit()}
     * (work for a background job: outbox rows, mail). Other commits, the jobs' own included, do not
     * wake it: a job woken by its own commit would poll PostgreSQL in a tight loop.
     */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /** Marks the transaction running on this thread as one whose commit wakes the {@link #onCommit} listeners. */
    public static void wakeOnCommit() {
        WAKE_ON_COMMIT.set(Boolean.TRUE);
    }

    /**
     * Runs {@code work} in one transaction: commit when it returns, roll back when it throws.
     * A serialisation failure or deadlock is retried with a fresh transaction (so {@code work}
     * must only touch the database); an {@link ApiException} is rolled back and rethrown.
     */
    public <T> T inTransaction(Function<DbTransaction, T> work) {
        Boolean outer = WAKE_ON_COMMIT.get();
        try {
            for (int attempt = 1; ; attempt++) {
                WAKE_ON_COMMIT.remove();
                DbTransaction tx = client.transaction();
                try {
                    T result = work.apply(tx);
                    tx.commit();
                    if (WAKE_ON_COMMIT.get() != null) {
                        commitListeners.forEach(Runnable::run);
                    }
                    return result;
                } catch (RuntimeException e) {
                    rollbackQuietly(tx);
                    if (attempt < MAX_ATTEMPTS && isRetryable(e)) {
                        sleep(attempt);
                        continue;
                    }
                    throw e;
                }
            }
        } finally {
            WAKE_ON_COMMIT.set(outer);
        }
    }

    public void inTransactionDo(java.util.function.Consumer<DbTransaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Runs a query and maps every row, closing the result stream. */
    public static <T> List<T> list(DbExecute exec, String sql, Function<DbRow, T> mapper, Object... params) {
        try (Stream<DbRow> rows = exec.query(sql, params)) {
            return rows.map(mapper).toList();
        }
    }

    public static <T> Optional<T> one(DbExecute exec, String sql, Function<DbRow, T> mapper, Object... params) {
        return exec.get(sql, params).map(mapper);
    }

    public static long count(DbExecute exec, String sql, Object... params) {
        return exec.get(sql, params).map(r -> Rows.longValue(r, 1)).orElse(0L);
    }

    public boolean ping() {
        try {
            return client.execute().get("SELECT 1").isPresent();
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static boolean isUniqueViolation(Throwable e) {
        return "23505".equals(sqlState(e));
    }

    public static boolean isRetryable(Throwable e) {
        String state = sqlState(e);
        return "40001".equals(state) || "40P01".equals(state);
    }

    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static void rollbackQuietly(DbTransaction tx) {
        try {
            tx.rollback();
        } catch (RuntimeException ignored) {
            // the transaction is already gone (connection lost); nothing was committed
        }
    }

    private static void sleep(int attempt) {
        try {
            Thread.sleep(5L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextInt(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
