package dev.storefront.launcher;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.storefront.common.tracing.Tracing;
import io.helidon.webserver.WebServer;

/**
 * Every service in its own JVM on its own port (8081-8088), so one can be killed and restarted,
 * and a gateway on the launcher's port that routes /api/<service> to them and serves the UI.
 */
public final class SplitPlatform implements AutoCloseable {
    /** How long a service may take to listen (a loaded CI machine needs more than a laptop). */
    private static final long START_TIMEOUT_MS = Long.getLong("storefront.split.start-timeout-ms", 60_000L);
    /** How long the services together may take to stop before they are killed. */
    private static final long STOP_TIMEOUT_S = 60;

    private final Map<Services, Process> processes = new EnumMap<>(Services.class); // guarded by this
    private final Settings settings;
    private final int portOffset;
    private final LocalObjectStorage storage;
    private final Path logDir;
    private WebServer gateway;

    private SplitPlatform(Settings settings, int portOffset, LocalObjectStorage storage) throws IOException {
        this.storage = storage;
        this.settings = settings;
        this.portOffset = portOffset;
        this.logDir = Files.createDirectories(logDir(portOffset));
    }

    /** Where the platform started with {@code portOffset} writes its services' logs (one directory per offset). */
    public static Path logDir(int portOffset) {
        return Path.of(System.getProperty("java.io.tmpdir"), portOffset == 0 ? "storefront-split" : "storefront-split-" + portOffset);
    }

    public static SplitPlatform start(Settings settings) throws IOException, InterruptedException {
        return start(settings, 0);
    }

    /**
     * As {@link #start(Settings)} with every service on its split port + {@code portOffset}, so a test
     * can run a split platform while another one (a developer's, a benchmark's) holds 8081-8088.
     */
    public static SplitPlatform start(Settings given, int portOffset) throws IOException, InterruptedException {
        LocalObjectStorage storage = LocalObjectStorage.startIfNeeded(given);
        Settings settings = storage.settings();
        SplitPlatform platform = new SplitPlatform(settings, portOffset, storage);
        // the gateway traces in this process, with the services' settings
        Tracing.configure(io.helidon.config.Config.just(io.helidon.config.ConfigSources.create(settings.extra())));
        try {
            // auth first: the others fetch its keys and their tokens from it
            platform.startService(Services.AUTH);
            platform.awaitPort(platform.servicePort(Services.AUTH), START_TIMEOUT_MS);
            platform.startRest();
            Map<Services, Integer> ports = new LinkedHashMap<>();
            for (Services service : Services.values()) {
                ports.put(service, platform.servicePort(service));
            }
            platform.gateway = Gateway.start(settings.port(), ports);
            return platform;
        } catch (IOException | InterruptedException | RuntimeException e) {
            platform.close(); // no orphaned service JVMs when start fails
            throw e;
        }
    }

    /**
     * Starts the services after auth, as many at once as there are cores: seven JVMs starting together on
     * two cores each took 7-9.8 s to listen, two at a time 2.2-2.5 s each, and the platform was ready as
     * soon (11.5 s either way, on a slow day for the machine).
     */
    private void startRest() throws IOException, InterruptedException {
        List<Services> rest = new ArrayList<>(List.of(Services.values()));
        rest.remove(Services.AUTH);
        int parallel = Math.max(1, Integer.getInteger("storefront.split.parallel-starts", Runtime.getRuntime().availableProcessors()));
        try (ExecutorService starts = Executors.newFixedThreadPool(parallel)) {
            List<Future<?>> started = new ArrayList<>();
            for (Services service : rest) {
                started.add(starts.submit(() -> {
                    startService(service);
                    awaitPort(servicePort(service), START_TIMEOUT_MS);
                    return null;
                }));
            }
            for (Future<?> start : started) {
                try {
                    start.get();
                } catch (ExecutionException e) {
                    switch (e.getCause()) {
                        case IOException io -> throw io;
                        case RuntimeException runtime -> throw runtime;
                        default -> throw new IllegalStateException(e.getCause());
                    }
                }
            }
        }
    }

    public int port() {
        return gateway.port();
    }

    /** The port one service listens on. */
    public int servicePort(Services service) {
        return service.splitPort + portOffset;
    }

    /** Where each service's output goes: its JSON log lines to {@code <service>.log}, the JVM's own to {@code <service>.jvm.log}. */
    public Path logDir() {
        return logDir;
    }

    /** Waits until a (re)started service accepts connections. */
    public void awaitService(Services service, long timeoutMs) throws InterruptedException {
        awaitPort(servicePort(service), timeoutMs);
    }

    /** Starts (or restarts) one service's JVM. */
    public synchronized Process startService(Services service) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small service: its live heap is a few MiB, and eight of these share the machine. Without -Xms
        // the heap starts at its maximum (a 64th of the RAM) and under load all of it becomes resident
        // C1 only: eight JVMs starting at once on two cores spend far less on compiling, and C2's
        // compile arenas were the larger part of a service's peak resident memory
        // the JVM's own messages (the class cache's "AOTCache creation is complete", …) go to standard error,
        // so standard output holds the service's JSON log lines only
        // search is the exception: it loads the embedding model (the ONNX file is read whole into the heap) and
        // holds its Lucene index, so 96 MiB is an OutOfMemoryError at start
        String maxHeap = service == Services.SEARCH ? "-Xmx320m" : "-Xmx96m";
        List<String> jvmOptions = new ArrayList<>(List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms32m", maxHeap,
                "-XX:MaxMetaspaceSize=96m", "-XX:ReservedCodeCacheSize=32m", "-XX:TieredStopAtLevel=1",
                "-XX:+DisplayVMOutputToStderr"));
        // extra JVM options from the caller ({service} is replaced by the service's name)
        for (String option : System.getProperty("storefront.split.jvm-options", "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                jvmOptions.add(option.replace("{service}", service.id()));
            }
        }
        // a test may hand its services a private copy of the classpath, safe from jars rebuilt meanwhile
        String classpath = System.getProperty("storefront.split.classpath", System.getProperty("java.class.path"));
        command.addAll(jvmOptions);
        command.addAll(AotCache.options(service.id(), classpath, jvmOptions));
        command.addAll(List.of("-cp", classpath, service.mainClass()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        settings.serviceConfig(service.id(), s -> "http://127.0.0.1:" + servicePort(Services.valueOf(s.toUpperCase(Locale.ROOT))))
                .forEach((key, value) -> env.put(envName(key), value));
        env.put("SERVER_PORT", String.valueOf(servicePort(service)));
        env.putIfAbsent("MALLOC_ARENA_MAX", "2"); // glibc's default of 8 arenas per core is resident memory a small JVM never needs
        File log = logDir.resolve(service.id() + ".log").toFile();
        File jvmLog = logDir.resolve(service.id() + ".jvm.log").toFile();
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log)).redirectError(ProcessBuilder.Redirect.appendTo(jvmLog));
        Process process = builder.start();
        processes.put(service, process);
        return process;
    }

    /**
     * SIGTERM to one service ({@link Process#destroy()}): it stops gracefully (see GracefulShutdown). Returns
     * its process, to wait for and read the exit code of; null when it was never started.
     */
    public synchronized Process terminate(Services service) {
        Process process = processes.get(service);
        if (process != null) {
            process.destroy();
        }
        return process;
    }

    /** One service's JVM as last started (null before), e.g. to wait for it or read its exit code. */
    public synchronized Process process(Services service) {
        return processes.get(service);
    }

    /** kill -9 of one service (fault tests); returns once it is gone, so its port is free again. */
    public synchronized void kill(Services service) {
        Process process = processes.get(service);
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitPort(int port, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("A service did not start listening on port " + port + " (logs in " + logDir + ")");
    }

    /**
     * storefront.services.auth.url -> STOREFRONT_SERVICES_AUTH_URL. Dashes become {@code _DASH_}, the
     * only spelling Helidon maps back to '-' (it ignores names with "__" altogether).
     */
    static String envName(String key) {
        return key.replace("-", "_dash_").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        if (gateway != null) {
            gateway.stop();
        }
        Tracing.flush();
        processes.values().forEach(Process::destroy);
        // one deadline for all: a first run after a build writes its class cache as it stops (AotCache),
        // eight of them at once on two cores take ~20 s
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_TIMEOUT_S);
        for (Process process : processes.values()) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        storage.close();
    }
}
