package dev.storefront.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database ceilings, measured with pgbench on a scratch database of the same PostgreSQL server:
 * read-only point selects ({@code -S}), one row of 10,000 decremented plus one insert ("spread rows",
 * what a cart write costs at most), the same on one hot row, and a checkout's writes (decrement
 * stock, insert an order, insert an outbox event) in one transaction.
 */
final class Pgbench {
    static final String DATABASE = "bench_pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");

    enum Kind {
        SELECT_ONLY("pgbench -S (read-only)", null),
        SPREAD_WRITE("1 of 10,000 rows decremented + 1 insert", """
                \\set pid random(1, 10000)
                BEGIN;
                UPDATE bench_stock SET available = available - 1 WHERE id = :pid;
                INSERT INTO bench_sales (product_id, quantity) VALUES (:pid, 1);
                END;
                """),
        HOT_ROW_WRITE("1 hot row decremented + 1 insert", """
                BEGIN;
                UPDATE bench_stock SET available = available - 1 WHERE id = 1;
                INSERT INTO bench_sales (product_id, quantity) VALUES (1, 1);
                END;
                """),
        CHECKOUT_WRITES("checkout-shaped: decrement 1 of 10,000 + order + outbox", """
                \\set pid random(1, 10000)
                BEGIN;
                UPDATE bench_stock SET available = available - 1, reserved = reserved + 1 WHERE id = :pid AND available > 0;
                INSERT INTO bench_orders (id, user_id, product_id, quantity, total, status) VALUES (gen_random_uuid(), gen_random_uuid(), :pid, 1, 19.99, 'CONFIRMED');
                INSERT INTO bench_outbox (id, subject, payload) VALUES (gen_random_uuid(), 'storefront.order.confirmed', jsonb_build_object('productId', :pid, 'total', 19.99));
                END;
                """);

        final String label;
        final String script;

        Kind(String label, String script) {
            this.label = label;
            this.script = script;
        }
    }

    private final Path workDir;
    private final int scale;
    private final int clients;

    Pgbench(Path workDir, int scale, int clients) {
        this.workDir = workDir;
        this.scale = scale;
        this.clients = clients;
    }

    /** Creates the scratch database: pgbench's own tables and the write-ceiling tables. */
    void prepare() throws IOException, InterruptedException {
        if (!Db.exists(DATABASE)) {
            Db.update("postgres", "CREATE DATABASE " + DATABASE);
        }
        run(List.of("pgbench", "-h", host(), "-p", port(), "-U", "postgres", "-i", "-q", "-s", String.valueOf(scale), DATABASE), 600);
        for (String sql : new String[] {
                "DROP TABLE IF EXISTS bench_stock, bench_sales, bench_orders, bench_outbox",
                "CREATE TABLE bench_stock (id integer PRIMARY KEY, available integer NOT NULL, reserved integer NOT NULL DEFAULT 0)",
                "INSERT INTO bench_stock (id, available) SELECT g, 1000000000 FROM generate_series(1, 10000) g",
                "CREATE TABLE bench_sales (id bigserial PRIMARY KEY, product_id integer NOT NULL, quantity integer NOT NULL,"
                        + " created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE bench_orders (id uuid PRIMARY KEY, user_id uuid NOT NULL, product_id integer NOT NULL,"
                        + " quantity integer NOT NULL, total numeric(12,2) NOT NULL, status text NOT NULL,"
                        + " created_at timestamptz NOT NULL DEFAULT now())",
                "CREATE TABLE bench_outbox (id uuid PRIMARY KEY, subject text NOT NULL, payload jsonb NOT NULL,"
                        + " created_at timestamptz NOT NULL DEFAULT now(), published_at timestamptz)",
                "VACUUM ANALYZE bench_stock"}) {
            Db.update(DATABASE, sql);
        }
    }

    /** Transactions per second of one pgbench run of {@code seconds}. */
    double tps(Kind kind, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-h", host(), "-p", port(), "-U", "postgres", "-n",
                "-c", String.valueOf(clients), "-j", String.valueOf(Math.min(clients, 2)), "-T", String.valueOf(seconds)));
        if (kind == Kind.SELECT_ONLY) {
            cmd.add("-S");
        } else {
            Path script = workDir.resolve(kind.name().toLowerCase() + ".sql");
            Files.createDirectories(workDir);
            Files.writeString(script, kind.script);
            cmd.addAll(List.of("-f", script.toString()));
        }
        cmd.add(DATABASE);
        String out = run(cmd, seconds + 120);
        Matcher m = TPS.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("pgbench printed no tps:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String host() {
        return Db.HOST.split(":")[0];
    }

    private static String port() {
        String[] parts = Db.HOST.split(":");
        return parts.length > 1 ? parts[1] : "5432";
    }

    private static String run(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        return Processes.output(new ProcessBuilder(cmd).redirectErrorStream(true), timeoutSeconds);
    }
}
