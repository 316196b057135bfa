package dev.storefront.faults;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * A nats-server with JetStream of this test's own, on a free port with its store in a temp
 * directory, so the test can stop and restart it without touching the machine's shared NATS.
 */
final class PrivateNats implements AutoCloseable {
    private final int port = Ports.free();
    private final Path dir;
    private Process process;

    PrivateNats() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("faults-nats-");
        start();
    }

    static boolean available() {
        return new File("/usr/sbin/nats-server").canExecute() || new File("/usr/bin/nats-server").canExecute()
                || new File("/usr/local/bin/nats-server").canExecute();
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    synchronized void start() throws IOException, InterruptedException {
        process = new ProcessBuilder("nats-server", "-a", "127.0.0.1", "-p", String.valueOf(port), "-js",
                "-sd", dir.resolve("store").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nats.log").toFile()))
                .start();
        Ports.await(port, 15_000);
    }

    /** Stops the server (SIGTERM, or SIGKILL when {@code hard}), waits a moment, starts it again on the same store. */
    synchronized void restart(boolean hard, long downMs) throws IOException, InterruptedException {
        if (hard) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        process.waitFor(15, TimeUnit.SECONDS);
        Thread.sleep(downMs);
        start();
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
