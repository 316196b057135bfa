package dev.storefront.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AotCacheTest {
    private static final List<String> OPTIONS = List.of("-Xmx96m", "-XX:TieredStopAtLevel=1");

    @Test
    void recordsACacheFirstThenUsesIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("service.jar"), "classes");
        List<String> first = AotCache.options("cart", jar.toString(), OPTIONS, dir.resolve("aot"), 25);
        assertTrue(first.getLast().startsWith("-XX:AOTCacheOutput="), first.toString());

        Path cache = Path.of(first.getLast().substring("-XX:AOTCacheOutput=".length()));
        Path config = Files.writeString(Path.of(cache + ".config"), "what the first run loaded");
        Files.writeString(cache, "half written");
        assertEquals(List.of(), AotCache.options("cart", jar.toString(), OPTIONS, dir.resolve("aot"), 25),
                "while the cache is being written a start goes without it");

        Files.delete(config);
        Files.writeString(cache, "written by the first run when it stopped");
        assertEquals("-XX:AOTCache=" + cache, AotCache.options("cart", jar.toString(), OPTIONS, dir.resolve("aot"), 25).getLast());
    }

    @Test
    void aConfigLeftByAKilledWriterStartsOver(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("service.jar"), "classes");
        Path cache = Path.of(AotCache.options("cart", jar.toString(), OPTIONS, dir, 25).getLast().split("=", 2)[1]);
        Path config = Files.writeString(Path.of(cache + ".config"), "what the first run loaded");
        Files.writeString(cache, "half written");
        Files.setLastModifiedTime(config, FileTime.fromMillis(System.currentTimeMillis() - 600_000));

        assertEquals("-XX:AOTCacheOutput=" + cache, AotCache.options("cart", jar.toString(), OPTIONS, dir, 25).getLast());
        assertFalse(Files.exists(cache));
        assertFalse(Files.exists(config));
    }

    @Test
    void aRebuiltJarOrAnotherOptionMakesANewCacheAndTheOldOneGoes(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("service.jar"), "classes");
        Path old = Path.of(AotCache.options("cart", jar.toString(), OPTIONS, dir, 25).getLast().split("=", 2)[1]);
        Files.writeString(old, "cache");
        Path otherService = Path.of(AotCache.options("order", jar.toString(), OPTIONS, dir, 25).getLast().split("=", 2)[1]);
        Files.writeString(otherService, "cache");

        assertNotEquals(AotCache.fingerprint(jar.toString(), OPTIONS), AotCache.fingerprint(jar.toString(), List.of("-Xmx128m")));
        Files.writeString(jar, "classes, rebuilt");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        List<String> rebuilt = AotCache.options("cart", jar.toString(), OPTIONS, dir, 25);

        assertTrue(rebuilt.getLast().startsWith("-XX:AOTCacheOutput="), rebuilt.toString());
        assertFalse(rebuilt.getLast().endsWith(old.toString()));
        assertFalse(Files.exists(old), "the stale cache of the same process is deleted");
        assertTrue(Files.exists(otherService), "another process's cache stays");
    }

    @Test
    void aJarNamedInTheManifestCountsToo(@TempDir Path dir) throws Exception {
        Path lib = Files.writeString(Files.createDirectories(dir.resolve("libs")).resolve("catalog.jar"), "classes");
        Path launcher = dir.resolve("launcher.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, "libs/catalog.jar");
        new JarOutputStream(Files.newOutputStream(launcher), manifest).close();
        String before = AotCache.fingerprint(launcher.toString(), OPTIONS);

        Files.writeString(lib, "classes, rebuilt");
        assertNotEquals(before, AotCache.fingerprint(launcher.toString(), OPTIONS));
    }

    @Test
    void beforeJdk25ADynamicClassDataArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("service.jar"), "classes");
        assertEquals(List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve("cart.jsa")),
                AotCache.options("cart", jar.toString(), OPTIONS, dir, 21));
    }
}
