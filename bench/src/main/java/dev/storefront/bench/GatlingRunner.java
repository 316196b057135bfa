package dev.storefront.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.storefront.bench.sim.BenchSimulation;
import io.gatling.app.Gatling$;

/** Runs {@link BenchSimulation} in this JVM with Gatling and hands back what the recorder saw. */
final class GatlingRunner {
    private final Path resultsDir;

    GatlingRunner(Path resultsDir) {
        this.resultsDir = resultsDir;
    }

    LatencyRecorder run(Workload.Plan plan) {
        Workload.prepare(plan);
        try {
            Files.createDirectories(resultsDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // -nr: the bench makes its own table and chart from the recorder; Gatling's HTML report is not needed
        int code = Gatling$.MODULE$.fromArgs(new String[] {
                "-s", BenchSimulation.class.getName(), "-rf", resultsDir.toString(), "-nr", "-rd", plan.kind().name()});
        if (code != 0) {
            System.err.println("bench: gatling exited with " + code + " for " + plan.kind());
        }
        return Workload.recorder();
    }
}
