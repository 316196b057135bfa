package dev.storefront.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One OCI image tarball as Jib writes it (oci-layout, index.json, blobs): its name, manifest digest, config
 * (entrypoint, user, working directory, environment, labels) and layers, which {@link #unpack} extracts in order
 * into a root file system, as a container runtime does.
 */
record OciImage(Path tar, String name, String digest, List<String> entrypoint, List<String> cmd, String user,
                String workingDir, Map<String, String> env, Map<String, String> labels, List<String> layers,
                long compressedBytes) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static OciImage read(Path tar) throws IOException {
        Path blobs = Files.createTempDirectory("oci-index");
        try {
            run(List.of("tar", "-xf", tar.toString(), "-C", blobs.toString(), "index.json"));
            JsonNode index = JSON.readTree(blobs.resolve("index.json").toFile());
            JsonNode entry = index.get("manifests").get(0);
            String digest = entry.get("digest").asText();
            String name = entry.path("annotations").path("org.opencontainers.image.ref.name").asText();
            JsonNode manifest = JSON.readTree(blob(tar, blobs, digest).toFile());
            JsonNode config = JSON.readTree(blob(tar, blobs, manifest.get("config").get("digest").asText()).toFile()).get("config");
            var layers = new ArrayList<String>();
            long size = manifest.get("config").get("size").asLong();
            for (JsonNode layer : manifest.get("layers")) {
                layers.add(layer.get("digest").asText());
                size += layer.get("size").asLong();
            }
            var env = new LinkedHashMap<String, String>();
            for (JsonNode e : config.path("Env")) {
                String[] kv = e.asText().split("=", 2);
                env.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
            var labels = new LinkedHashMap<String, String>();
            config.path("Labels").fields().forEachRemaining(f -> labels.put(f.getKey(), f.getValue().asText()));
            return new OciImage(tar, name, digest, strings(config.path("Entrypoint")), strings(config.path("Cmd")),
                    config.path("User").asText(""), config.path("WorkingDir").asText("/"), env, labels,
                    List.copyOf(layers), size);
        } finally {
            run(List.of("rm", "-rf", blobs.toString()));
        }
    }

    /** The command the runtime starts: entrypoint then cmd. */
    List<String> command() {
        var command = new ArrayList<>(entrypoint);
        command.addAll(cmd);
        return command;
    }

    /** Numeric uid:gid of the image's user (the tests insist on numbers: runAsNonRoot needs them). */
    int[] uidGid() {
        String[] parts = user.split(":");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts.length > 1 ? parts[1] : parts[0])};
    }

    /**
     * Extracts the image's own layer tars, in manifest order, into {@code roots/<digest>} (once: a finished root
     * is marked and reused). Returns the root.
     */
    Path unpack(Path roots) throws IOException {
        Path root = roots.resolve(digest.substring("sha256:".length(), 7 + 12));
        Path done = roots.resolve(root.getFileName() + ".done");
        if (Files.exists(done)) {
            return root;
        }
        run(List.of("rm", "-rf", root.toString()));
        Files.createDirectories(root);
        for (String layer : layers) {
            String blob = "blobs/sha256/" + layer.substring("sha256:".length());
            // stream the layer out of the image tar straight into tar: no temporary copies
            run(List.of("sh", "-c", "tar -xOf \"$0\" \"$1\" | tar -xz --numeric-owner -C \"$2\"",
                    tar.toString(), blob, root.toString()));
        }
        try (var files = Files.walk(root)) {
            var whiteouts = files.filter(p -> p.getFileName().toString().startsWith(".wh.")).toList();
            if (!whiteouts.isEmpty()) {
                throw new IOException("image " + name + " has whiteout files this unpacker does not apply: " + whiteouts);
            }
        }
        Files.writeString(done, digest);
        return root;
    }

    private static Path blob(Path tar, Path dir, String digest) throws IOException {
        String path = "blobs/sha256/" + digest.substring("sha256:".length());
        run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString(), path));
        return dir.resolve(path);
    }

    private static List<String> strings(JsonNode array) {
        var list = new ArrayList<String>();
        array.forEach(n -> list.add(n.asText()));
        return List.copyOf(list);
    }

    static void run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
