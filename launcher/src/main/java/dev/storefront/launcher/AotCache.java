package dev.storefront.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The JVM options that load a Storefront process's classes ready-linked from an ahead-of-time cache
 * (JDK 25+, JEP 483/514) which the process's first run writes when it stops. One cache per process
 * name, classpath and JVM options: a rebuilt jar or a changed flag makes a new one (and the old one
 * is deleted). With its cache the one-process launcher was ready in 1.2-1.4 s instead of 2.5-3.4 s, and
 * a split service listened in ~1.6 s instead of ~2.2 s with the dynamic class-data archive this replaces
 * (two starting at once on the same slow day of a 2-core machine).
 *
 * <p>{@code storefront.aot-cache=off} (or {@code STOREFRONT_AOT_CACHE=off}) turns it off; {@code storefront.aot-cache.dir} says where the
 * caches live (default {@code java.io.tmpdir/storefront-aot-<jdk>}). Before JDK 25 the options are a
 * dynamic class-data archive's, which needs no training step. Run as a program
 * ({@code java -cp storefront-launcher.jar dev.storefront.launcher.AotCache <name> <jvm options...>}) it
 * prints the options for a one-process launcher started with those options, one per line (scripts/run.sh
 * and the bench use it).
 */
public final class AotCache {
    private static final int AOT_CACHE_JDK = 25;
    /** How long a cache may take to be written before a leftover config means its writer died. */
    private static final long WRITE_GRACE_MS = 120_000;

    private AotCache() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: AotCache <name> [jvm options ...]");
            System.exit(2);
        }
        String classpath = System.getProperty("java.class.path");
        options(args[0], classpath, List.of(args).subList(1, args.length)).forEach(System.out::println);
    }

    /**
     * Options to add to a JVM that runs {@code classpath} with {@code jvmOptions} under {@code name}:
     * use the cache if it is there, else record one.
     */
    public static List<String> options(String name, String classpath, List<String> jvmOptions) {
        String setting = System.getProperty("storefront.aot-cache", System.getenv().getOrDefault("STOREFRONT_AOT_CACHE", "on"));
        if ("off".equals(setting)) {
            return List.of();
        }
        int jdk = Runtime.version().feature();
        return options(name, classpath, jvmOptions, Path.of(System.getProperty("storefront.aot-cache.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "storefront-aot-" + jdk).toString())), jdk);
    }

    static List<String> options(String name, String classpath, List<String> jvmOptions, Path dir, int jdk) {
        try {
            Files.createDirectories(dir);
            if (jdk < AOT_CACHE_JDK) {
                return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve(name + ".jsa"));
            }
            String fingerprint = fingerprint(classpath, jvmOptions);
            Path cache = dir.resolve(name + "-" + fingerprint + ".aot");
            deleteOtherCaches(dir, name, cache);
            // the JVM's "aot" and "cds" lines (classes it skips, a cache it cannot map) are not the shop's news
            List<String> quiet = List.of("-Xlog:aot*=off", "-Xlog:cds*=off");
            // a stopping first run writes <cache>.config, then the cache, then deletes the config
            Path config = Path.of(cache + ".config");
            if (Files.exists(config)) {
                if (Files.getLastModifiedTime(config).toMillis() > System.currentTimeMillis() - WRITE_GRACE_MS) {
                    return List.of(); // being written now: this start goes without
                }
                Files.deleteIfExists(cache); // the writer was killed: start over
                Files.deleteIfExists(config);
            }
            List<String> options = new ArrayList<>(quiet);
            options.add(Files.isRegularFile(cache) ? "-XX:AOTCache=" + cache : "-XX:AOTCacheOutput=" + cache);
            return options;
        } catch (IOException e) {
            return List.of(); // no cache is slower, not wrong
        }
    }

    /** What the cache depends on: the JDK, the options, and every jar's size and time (manifest Class-Path included). */
    static String fingerprint(String classpath, List<String> jvmOptions) throws IOException {
        MessageDigest digest = sha256();
        digest.update((System.getProperty("java.home") + "|" + Runtime.version() + "|" + String.join(" ", jvmOptions))
                .getBytes(StandardCharsets.UTF_8));
        for (Path entry : classpathFiles(classpath)) {
            String line = entry + "|" + (Files.exists(entry) ? Files.size(entry) + "|" + Files.getLastModifiedTime(entry).toMillis() : "-");
            digest.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static Set<Path> classpathFiles(String classpath) throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        for (String element : classpath.split(java.io.File.pathSeparator)) {
            if (element.isBlank()) {
                continue;
            }
            Path jar = Path.of(element).toAbsolutePath().normalize();
            files.add(jar);
            if (element.endsWith(".jar") && Files.isRegularFile(jar)) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    String manifestPath = file.getManifest() == null ? null : file.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String relative : manifestPath.trim().split("\\s+")) {
                            files.add(jar.resolveSibling(relative).normalize());
                        }
                    }
                } catch (java.util.zip.ZipException e) {
                    // not a jar after all: its size and time still count
                }
            }
        }
        return files;
    }

    private static void deleteOtherCaches(Path dir, String name, Path keep) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(f -> f.getFileName().toString().matches("\\Q" + name + "\\E-[0-9a-f]{16}\\.aot(\\.config)?"))
                    .filter(f -> !f.equals(keep) && !f.toString().equals(keep + ".config"))
                    .forEach(stale::add);
        }
        for (Path file : stale) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // another process may be using it; it goes next time
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
