package dev.storefront.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where the CPU went during a measurement, from Linux's per-thread counters (/proc/PID/task/TID/stat,
 * user + system clock ticks): the platform JVM's threads grouped by name (digits dropped:
 * "ForkJoinPool-1-worker-3" and its siblings, the virtual threads' carriers, are one group; Linux keeps
 * 15 characters of a name), the PostgreSQL backends serving the bench's databases by database, and the
 * whole machine (/proc/stat) for what everyone else used.
 */
final class ThreadCpu {
    private static final double TICKS = 100.0; // USER_HZ on Linux

    private ThreadCpu() {
    }

    /** CPU ticks so far, per group. */
    static Map<String, Long> snapshot(long jvmPid, String dbPrefix) {
        Map<String, Long> ticks = new HashMap<>();
        addJvm(ticks, jvmPid, name -> "jvm: " + name);
        return addRest(ticks, dbPrefix);
    }

    /** Split mode: CPU ticks so far per service JVM (all its threads), database and the rest. */
    static Map<String, Long> snapshot(Map<String, Long> serviceJvms, String dbPrefix) {
        Map<String, Long> ticks = new HashMap<>();
        serviceJvms.forEach((service, pid) -> addJvm(ticks, pid, name -> "jvm " + service));
        return addRest(ticks, dbPrefix);
    }

    private static void addJvm(Map<String, Long> ticks, long jvmPid, java.util.function.UnaryOperator<String> group) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(jvmPid), "task"))) {
            for (Path task : tasks) {
                String name = read(task.resolve("comm")).strip().replaceAll("[-0-9]+$", "");
                ticks.merge(group.apply(name), ticksOf(task.resolve("stat")), Long::sum);
            }
        } catch (IOException e) {
            // the JVM is gone: nothing to add
        }
    }

    private static Map<String, Long> addRest(Map<String, Long> ticks, String dbPrefix) {
        List<String> backends = Db.strings("postgres", "SELECT pid || ' ' || datname FROM pg_stat_activity WHERE datname LIKE ?",
                dbPrefix.replace("_", "\\_") + "%");
        for (String line : backends) {
            String[] f = line.split(" ", 2);
            ticks.merge("postgres: " + f[1], ticksOf(Path.of("/proc", f[0], "stat")), Long::sum);
        }
        ticks.put("bench: load generator", ticksOf(Path.of("/proc/self/stat")));
        String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElse("cpu 0").trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length && i <= 8; i++) {
            busy += i == 4 || i == 5 ? 0 : Long.parseLong(cpu[i]); // all but idle and iowait
        }
        ticks.put("machine: all busy", busy);
        return ticks;
    }

    /** The groups' cores in use between two snapshots {@code seconds} apart, largest first, those over 0.02 cores. */
    static String between(Map<String, Long> before, Map<String, Long> after, double seconds, int top) {
        Map<String, Double> cores = new TreeMap<>();
        after.forEach((k, v) -> cores.put(k, (v - before.getOrDefault(k, 0L)) / TICKS / seconds));
        double ours = cores.entrySet().stream().filter(e -> !e.getKey().startsWith("machine") && !e.getKey().startsWith("bench"))
                .mapToDouble(Map.Entry::getValue).sum();
        double load = cores.getOrDefault("bench: load generator", 0.0);
        String parts = cores.entrySet().stream().filter(e -> !e.getKey().startsWith("machine") && !e.getKey().startsWith("bench") && e.getValue() >= 0.02)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
        double machine = cores.getOrDefault("machine: all busy", 0.0);
        return String.format(Locale.ROOT, "%s; the platform and its databases %.2f cores, the load generator %.2f, everything else on the machine %.2f",
                parts, ours, load, Math.max(0, machine - ours - load));
    }

    private static long ticksOf(Path stat) {
        String s = read(stat);
        int close = s.lastIndexOf(')');
        if (close < 0) {
            return 0;
        }
        String[] f = s.substring(close + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
