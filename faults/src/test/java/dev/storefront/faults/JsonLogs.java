package dev.storefront.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.web.Json;

/**
 * The split-mode processes' output ({@code <service>.log} in the platform's log directory): every
 * line must be one JSON object, whatever the JVM or a library prints. SplitPlatform appends to these
 * files (one directory per port offset), so a test clears them before it starts the platform and
 * reads only its own run's lines.
 */
final class JsonLogs {
    private JsonLogs() {
    }

    /** Deletes the {@code *.log} files a previous run with this offset left; returns the directory. */
    static Path clear(int portOffset) throws IOException {
        Path dir = dev.storefront.launcher.SplitPlatform.logDir(portOffset);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path log : files.filter(JsonLogs::isServiceLog).toList()) {
                    Files.deleteIfExists(log);
                }
            }
        }
        return dir;
    }

    /** Every non-empty line of every {@code *.log} in {@code dir} that is not a JSON object, as "file:line: text". */
    static List<String> nonJsonLines(Path dir) throws IOException {
        List<String> bad = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return bad;
        }
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(JsonLogs::isServiceLog).sorted().toList();
        }
        for (Path log : logs) {
            List<String> lines = lines(log);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = Json.mapper().readTree(line);
                } catch (IOException e) {
                    node = null;
                }
                if (node == null || !node.isObject()) {
                    bad.add(log.getFileName() + ":" + (i + 1) + ": " + (line.length() > 300 ? line.substring(0, 300) + "…" : line));
                }
            }
        }
        return bad;
    }

    /** A log's lines; bytes that are not UTF-8 become U+FFFD (and so fail the JSON check) instead of throwing. */
    private static List<String> lines(Path log) throws IOException {
        return List.of(new String(Files.readAllBytes(log), StandardCharsets.UTF_8).split("\\R"));
    }

    /** How many lines the logs hold (to show that the check read something). */
    static long lineCount(Path dir) throws IOException {
        long n = 0;
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(JsonLogs::isServiceLog).toList()) {
                n += lines(log).stream().filter(l -> !l.isBlank()).count();
            }
        }
        return n;
    }

    /** Prints the non-JSON lines (at most 60) and returns them. */
    static List<String> report(Path dir) throws IOException {
        List<String> bad = nonJsonLines(dir);
        System.out.println("LOGS " + dir + ": " + lineCount(dir) + " lines, " + bad.size() + " not JSON");
        bad.stream().limit(60).forEach(line -> System.out.println("  NOT JSON " + line));
        return bad;
    }

    /**
     * Stops the platform (every process writes its last lines as it stops), takes back the shutdown hook
     * that would have stopped it, and reports the lines of {@code dir} that are not JSON objects.
     */
    static List<String> stopThenReport(dev.storefront.launcher.SplitPlatform platform, Thread reaper, Path dir) throws IOException {
        if (platform == null) {
            return List.of();
        }
        platform.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // shutting down already, or never added
        }
        return report(dir);
    }

    /** A service's own log lines ({@code <service>.log}); the JVM's messages ({@code <service>.jvm.log}) are not log lines. */
    static boolean isServiceLog(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".log") && !name.endsWith(".jvm.log");
    }
}
