package dev.storefront.faults;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of this test's own (soak mode): initdb into a temp directory, a free port,
 * trust authentication, run as the postgres OS user when the test runs as root. The test may
 * restart it (fast or immediate, i.e. crash-like) without touching the machine's shared server.
 */
final class PrivatePostgres implements AutoCloseable {
    private final int port = Ports.free();
    private final Path dir;
    private final Path data;
    private final String bin;

    PrivatePostgres() throws IOException, InterruptedException {
        bin = binDir();
        dir = Files.createTempDirectory("faults-pg-");
        data = dir.resolve("data");
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
        asPostgres(bin + "/initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        start();
    }

    static boolean available() {
        return binDir() != null;
    }

    String host() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        asPostgres(bin + "/pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("pg.log").toString(),
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off",
                "start");
    }

    /** Restarts the server: {@code immediate} is a crash (no shutdown checkpoint), else a fast shutdown. */
    void restart(boolean immediate, long downMs) throws IOException, InterruptedException {
        asPostgres(bin + "/pg_ctl", "-D", data.toString(), "-w", "-m", immediate ? "immediate" : "fast", "stop");
        Thread.sleep(downMs);
        start();
    }

    @Override
    public void close() {
        try {
            asPostgres(bin + "/pg_ctl", "-D", data.toString(), "-w", "-m", "immediate", "stop");
        } catch (Exception ignored) {
            // best effort
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // temp files only
        }
    }

    private static String binDir() {
        File[] versions = new File("/usr/lib/postgresql").listFiles();
        if (versions == null) {
            return null;
        }
        return Arrays.stream(versions).map(v -> new File(v, "bin"))
                .filter(b -> new File(b, "initdb").canExecute() && new File(b, "pg_ctl").canExecute())
                .map(File::getPath).max(Comparator.naturalOrder()).orElse(null);
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(Arrays.asList(command));
        run(full, true);
    }

    private void run(List<String> command, boolean mustSucceed) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (mustSucceed && p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
    }
}
