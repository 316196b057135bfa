package dev.storefront.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One running container: the image's entrypoint in its unpacked root, as the image's numeric user, with the
 * root read-only, in a network namespace, in its own mount and pid namespaces
 * ({@code nsenter --net} + {@code unshare --mount --pid --fork --kill-child} + pod.sh). Ending the unshare process
 * kills everything in the pid namespace and drops its mounts.
 */
final class Container {
    private static Path podScript;

    final String name;
    final Process process;
    final Path log;
    final long startedNanos = System.nanoTime();

    private Container(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static synchronized Path podScript() throws IOException {
        if (podScript == null) {
            podScript = Files.createTempFile("storefront-pod", ".sh");
            try (InputStream in = Container.class.getResourceAsStream("/pod.sh")) {
                Files.write(podScript, in.readAllBytes());
            }
            podScript.toFile().deleteOnExit();
        }
        return podScript;
    }

    /**
     * Starts {@code command} (the image's entrypoint unless the pod overrides it) with exactly {@code env} (the
     * image's, then the pod's), as the image's user, in {@code netns}. Output goes to {@code log}.
     */
    static Container start(String name, OciImage image, Path root, String netns, Path hosts,
                           List<String> command, Map<String, String> env, Path log) throws IOException {
        int[] ids = image.uidGid();
        var cmd = new ArrayList<String>(List.of("/usr/bin/nsenter", "--net=/run/netns/" + netns,
                "/usr/bin/unshare", "--mount", "--pid", "--fork", "--kill-child",
                "/bin/sh", podScript().toString(), root.toString(), image.workingDir(),
                String.valueOf(ids[0]), String.valueOf(ids[1]), hosts.toString(), "--"));
        cmd.addAll(command);
        Files.createDirectories(log.getParent());
        var builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return new Container(name, builder.start(), log);
    }

    /** The container's main process (pid 1 of its pid namespace), as seen from this machine. */
    Optional<ProcessHandle> mainProcess() {
        return process.toHandle().descendants().filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst();
    }

    boolean running() {
        return process.isAlive();
    }

    /** kill -9 of the container's main process, as an OOM kill or a crash would. */
    void killMain() {
        mainProcess().ifPresent(ProcessHandle::destroyForcibly);
    }

    /** SIGTERM to the main process, SIGKILL (of everything) after the grace period. */
    void stop(long graceSeconds) {
        if (!process.isAlive()) {
            return;
        }
        mainProcess().ifPresentOrElse(ProcessHandle::destroy, process::destroy);
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                kill();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /**
     * SIGKILL to everything in the container, main process first: the main process runs under another uid, which
     * clears the parent-death signal that --kill-child sets, so killing unshare alone left it running (seen: operator
     * pods of finished test runs still up, reparented to init, a quarter of an hour later).
     */
    void kill() {
        var inside = process.toHandle().descendants().toList();
        inside.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
