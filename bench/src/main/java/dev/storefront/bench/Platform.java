package dev.storefront.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JVM the bench starts and watches: the Storefront launcher (one process or split) or the
 * trivial server. Knows when it became ready, its pid (and in split mode its services' pids),
 * and reads peak RSS from /proc.
 */
final class Platform implements AutoCloseable {
    static final List<String> SERVICES = List.of("auth", "catalog", "inventory", "cart", "order", "checkout", "payment", "notify",
            "analytics", "search");
    private static final Pattern READY = Pattern.compile("Storefront is ready in (\\d+) ms");

    private final Process process;
    private final Path logFile;
    private final Path tmpDir;
    final long readyWallMs;
    final long reportedMs;
    final int port;
    /** Split mode: each service JVM start to its port accepting connections, ms. */
    private Map<String, Long> serviceStartup = Map.of();

    private Platform(Process process, Path logFile, Path tmpDir, long readyWallMs, long reportedMs, int port) {
        this.process = process;
        this.logFile = logFile;
        this.tmpDir = tmpDir;
        this.readyWallMs = readyWallMs;
        this.reportedMs = reportedMs;
        this.port = port;
    }

    /** Split-mode ports, as the launcher assigns them. */
    static final Map<String, Integer> SPLIT_PORTS = splitPorts();

    private static Map<String, Integer> splitPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 0; i < 8; i++) { // auth 8081 ... notify 8088 (ServiceRegistry's split ports; web is 8089)
            ports.put(SERVICES.get(i), 8081 + i);
        }
        ports.put("analytics", 8090);
        ports.put("search", 8091);
        return ports;
    }

    /** The JVM flags scripts/run.sh gives the launcher, so the bench measures what users run. */
    static List<String> jvmFlags() {
        return List.of("-XX:+UseSerialGC", "-Xss512k", "-Xms64m", "-Xmx256m", "-XX:MetaspaceSize=128m");
    }

    /**
     * Starts the launcher and waits for its ready line.
     *
     * @param properties system properties (the launcher reads them through Helidon's Config.create())
     */
    static Platform launcher(Path jar, boolean split, int port, Map<String, String> properties, List<String> extraJvm,
                             Path logFile, Path tmpDir) throws IOException {
        Files.createDirectories(tmpDir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = new ArrayList<>(jvmFlags());
        jvm.addAll(extraJvm);
        cmd.addAll(jvm);
        cmd.addAll(aotCacheOptions(jar, jvm, tmpDir));
        // the split launcher writes its services' logs under java.io.tmpdir: keep the bench's apart
        cmd.add("-Djava.io.tmpdir=" + tmpDir);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString(), "--no-demo", "--port", String.valueOf(port)));
        if (split) {
            cmd.add("--split");
        }
        clearSplitLogs(tmpDir);
        if (!split) {
            return start(cmd, READY, logFile, tmpDir, port, 180, child -> { });
        }
        List<Integer> taken = SPLIT_PORTS.values().stream().filter(Platform::portOpen).toList();
        if (!taken.isEmpty()) {
            throw new IllegalStateException("split mode needs ports 8081-8088 but " + taken + " are in use "
                    + "(another split-mode Storefront, e.g. a test suite, is running): wait for it or use --mode one");
        }
        // each service's start-up: from its JVM's start to the first connection its port accepts
        Map<String, Long> listening = new java.util.concurrent.ConcurrentHashMap<>();
        Thread poller = Thread.ofPlatform().daemon().name("split-ports").start(() -> {
            while (!Thread.currentThread().isInterrupted() && listening.size() < SPLIT_PORTS.size()) {
                SPLIT_PORTS.forEach((service, p) -> {
                    if (!listening.containsKey(service) && portOpen(p)) {
                        listening.put(service, System.currentTimeMillis());
                    }
                });
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Map<String, Long> jvmStarts = new java.util.concurrent.ConcurrentHashMap<>();
        Platform platform;
        try {
            platform = start(cmd, READY, logFile, tmpDir, port, 180, child -> {
                String cmdline = cmdline(child.pid());
                for (String s : SERVICES) {
                    if (cmdline.contains("dev.storefront." + s + ".Main")) {
                        child.info().startInstant().ifPresent(t -> jvmStarts.putIfAbsent(s, t.toEpochMilli()));
                    }
                }
            });
        } finally {
            poller.interrupt();
        }
        Map<String, Long> startup = new LinkedHashMap<>();
        for (String s : SERVICES) {
            if (listening.containsKey(s) && jvmStarts.containsKey(s)) {
                startup.put(s, listening.get(s) - jvmStarts.get(s));
            }
        }
        platform.serviceStartup = startup;
        return platform;
    }

    /**
     * The class-cache options scripts/run.sh gives the launcher (the launcher's own AotCache decides):
     * the bench's first, unmeasured start writes the cache, the measured starts use it.
     */
    private static List<String> aotCacheOptions(Path jar, List<String> jvm, Path tmpDir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmpDir, "-cp", jar.toString(), "dev.storefront.launcher.AotCache", "launcher"));
        cmd.addAll(jvm);
        try {
            // its standard error (the JVM's "Picked up JAVA_TOOL_OPTIONS", say) is not an option
            return Processes.output(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT), 60)
                    .lines().filter(line -> !line.isBlank()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The trivial endpoint, in its own JVM with the same flags. */
    static Platform trivial(int port, Path logFile, Path tmpDir) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrivialServer.class.getName(), String.valueOf(port)));
        return start(cmd, Pattern.compile("trivial server ready"), logFile, tmpDir, port, 60, child -> { });
    }

    private static Platform start(List<String> cmd, Pattern ready, Path logFile, Path tmpDir, int port, int timeoutSeconds,
                                  java.util.function.Consumer<ProcessHandle> childSeen) throws IOException {
        if (portOpen(port)) {
            throw new IllegalStateException("port " + port + " is already taken: stop what runs there or use --port");
        }
        Files.createDirectories(logFile.getParent());
        long t0 = System.nanoTime();
        // output to the log file, not a pipe: Process.destroy() closes the pipes, and a JVM writing its class
        // cache as it stops then dies of SIGPIPE before the cache is written
        Files.deleteIfExists(logFile);
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        CompletableFuture<Long> readyLine = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("platform-log").start(() -> {
            try (BufferedReader in = Files.newBufferedReader(logFile, StandardCharsets.UTF_8)) {
                StringBuilder partial = new StringBuilder();
                while (!readyLine.isDone()) {
                    int c = in.read();
                    if (c < 0) {
                        if (!process.isAlive()) {
                            break;
                        }
                        Thread.sleep(20);
                    } else if (c != '\n') {
                        partial.append((char) c);
                    } else {
                        Matcher m = ready.matcher(partial);
                        if (m.find()) {
                            readyLine.complete(m.groupCount() > 0 ? Long.parseLong(m.group(1)) : -1L);
                        }
                        partial.setLength(0);
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // the process ended
            } finally {
                readyLine.completeExceptionally(new IllegalStateException("exited before it was ready"));
            }
        });
        long reported;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            // watch the children appear (split mode) while waiting for the ready line
            while (!readyLine.isDone() && System.nanoTime() < deadline) {
                process.descendants().forEach(childSeen);
                Thread.sleep(50);
            }
            process.descendants().forEach(childSeen);
            reported = readyLine.get(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IllegalStateException("the platform did not get ready (" + e.getMessage() + "); see " + logFile + "\n"
                    + tail(logFile, 15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        return new Platform(process, logFile, tmpDir, wall, reported, port);
    }

    long pid() {
        return process.pid();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Split mode: each service's JVM pid, found by its main class on the command line. */
    Map<String, Long> servicePids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        process.descendants().forEach(child -> {
            String cmdline = cmdline(child.pid());
            for (String s : SERVICES) {
                if (cmdline.contains("dev.storefront." + s + ".Main")) {
                    pids.put(s, child.pid());
                }
            }
        });
        return pids;
    }

    /** Split mode: each service's own start-up, ms from its JVM's start to its port accepting connections. */
    Map<String, Long> serviceStartupMs() {
        return serviceStartup;
    }

    private static void clearSplitLogs(Path tmpDir) throws IOException {
        Path dir = tmpDir.resolve("storefront-split");
        if (Files.isDirectory(dir)) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    /** Peak resident set size (VmHWM) in KiB, or -1 when the process is gone. */
    static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // gone
        }
        return -1;
    }

    /** Resets VmHWM to the current RSS (Linux: "5" into clear_refs), so the next peak is the load's own. */
    static boolean resetPeakRss(long pid) {
        try {
            Files.writeString(Path.of("/proc", String.valueOf(pid), "clear_refs"), "5");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    static boolean portOpen(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            // a first start after a build writes its class cache as it stops: in split mode nine of them
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle child : children) {
            child.destroy();
        }
        long deadline = System.currentTimeMillis() + 15_000;
        for (ProcessHandle child : children) {
            while (child.isAlive() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        // wait until the port is free again, so the next start does not collide
        long portDeadline = System.currentTimeMillis() + 10_000;
        while (portOpen(port) && System.currentTimeMillis() < portDeadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
