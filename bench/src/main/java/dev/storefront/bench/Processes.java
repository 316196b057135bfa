package dev.storefront.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a short command the bench needs an answer from (pgbench, the launcher's AotCache). */
final class Processes {
    private Processes() {
    }

    /** The command's standard output (with whatever {@code builder} merges into it); fails unless it exits 0 in time. */
    static String output(ProcessBuilder builder, int timeoutSeconds) throws IOException, InterruptedException {
        String cmd = String.join(" ", builder.command());
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed:\n" + text);
        }
        return text;
    }
}
