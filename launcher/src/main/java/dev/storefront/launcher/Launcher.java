package dev.storefront.launcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.storefront.common.GracefulShutdown;
import dev.storefront.common.JsonStdoutHandler;
import io.helidon.config.Config;

/**
 * Runs Storefront locally.
 * <pre>
 *   java -jar storefront-launcher.jar            every service in this process on :8080, demo data
 *   java -jar storefront-launcher.jar --split    every service in its own JVM (8081-8088), gateway on :8080
 *   options: --port N, --no-demo
 * </pre>
 */
public final class Launcher {
    private static final System.Logger LOG = System.getLogger(Launcher.class.getName());

    private Launcher() {
    }

    public static void main(String[] args) throws Exception {
        JsonStdoutHandler.install();
        List<String> options = Arrays.asList(args);
        int port = intOption(options, "--port", 8080);
        boolean demo = !options.contains("--no-demo");
        Config config = Config.create();
        Settings settings = Settings.from(config, port, demo);
        Preflight.check(settings);
        String adminEmail = config.get("storefront.auth.admin.email").asString().orElse("admin@storefront.local");
        String adminPassword = config.get("storefront.auth.admin.password").asString().orElse("admin12345");

        // the same stop as every service process; no load balancer sits in front of a laptop, so no drain
        // delay unless one is configured
        GracefulShutdown shutdown = GracefulShutdown.from("launcher", config, Duration.ZERO);
        long started = System.nanoTime();
        AutoCloseable platform;
        int listening;
        if (options.contains("--split")) {
            SplitPlatform split = SplitPlatform.start(settings);
            platform = split;
            listening = split.port();
        } else {
            OneProcessPlatform one = OneProcessPlatform.start(settings, shutdown);
            platform = one;
            listening = one.port();
        }
        long readyMs = (System.nanoTime() - started) / 1_000_000;
        shutdown.then(platform).installSignalHandlers();
        String url = "http://localhost:" + listening;
        LOG.log(System.Logger.Level.INFO, "Storefront is ready in " + readyMs + " ms at " + url + "  (API under " + url + "/api)");
        LOG.log(System.Logger.Level.INFO, "Admin: " + adminEmail + " / " + adminPassword);
        if (demo) {
            Thread.ofVirtual().start(() -> {
                try {
                    int stocked = DemoStock.seed("http://127.0.0.1:" + listening, adminEmail, adminPassword);
                    if (stocked > 0) {
                        LOG.log(System.Logger.Level.INFO, "Demo stock added to " + stocked + " products");
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Demo stock not loaded: " + e.getMessage());
                }
            });
        }
        Thread.currentThread().join();
    }

    private static int intOption(List<String> options, String name, int defaultValue) {
        int i = options.indexOf(name);
        if (i < 0 || i + 1 >= options.size()) {
            return defaultValue;
        }
        return Integer.parseInt(options.get(i + 1));
    }
}
