package dev.storefront.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The search service's index on a bench platform: every start rebuilds it from catalog in the background, and
 * an admin's {@code POST /api/search/index} asks for a rebuild; this waits for one to finish (polling
 * {@code GET /api/search/index}) and says how it went: products, how many the model embedded and how many came
 * from the embedding cache, and the time by the service's own clock (startedAt to finishedAt).
 */
final class SearchIndex {
    /** One finished rebuild. */
    record Build(String label, long products, long embedded, long fromCache, double seconds, String loadBefore, String loadAfter) {
        double productsPerSecond() {
            return seconds > 0 ? products / seconds : Double.NaN;
        }
    }

    private SearchIndex() {
    }

    /**
     * Empties the search service's embedding cache, so that the next rebuild embeds every product (an index
     * from scratch); answers false when the platform has no cache table (a build from before it).
     */
    static boolean clearEmbeddingCache(Seeder seeder) {
        String db = seeder.db("search");
        if (!Db.exists(db) || Db.strings(db, "SELECT to_regclass('embeddings')::text").stream().allMatch(v -> v == null)) {
            return false;
        }
        Db.update(db, "TRUNCATE embeddings");
        return true;
    }

    /** Asks for a rebuild and waits for it. */
    static Build rebuild(Api api, String adminToken, String label, Duration max) throws InterruptedException {
        Instant asked = Instant.now().minusMillis(500);
        Api.Reply r = api.post("/api/search/index", adminToken, java.util.Map.of());
        if (r.status() != 202) {
            throw new IllegalStateException("POST /api/search/index: " + r.status() + " " + r.body());
        }
        return await(api, adminToken, label, max, asked);
    }

    /** Waits until a rebuild that started at or after {@code notBefore} is done (the one at start: pass null). */
    static Build await(Api api, String adminToken, String label, Duration max, Instant notBefore) throws InterruptedException {
        String loadBefore = loadAverage();
        long deadline = System.nanoTime() + max.toNanos();
        long nextPrint = 0;
        JsonNode p = null;
        while (System.nanoTime() < deadline) {
            Api.Reply r = api.get("/api/search/index", adminToken);
            if (r.ok()) {
                p = r.data();
                Instant started = p.path("startedAt").isTextual() ? Instant.parse(p.path("startedAt").asText()) : null;
                boolean ours = started != null && (notBefore == null || !started.isBefore(notBefore));
                if (ours && p.path("state").asText().equals("done")) {
                    Instant finished = Instant.parse(p.path("finishedAt").asText());
                    Build b = new Build(label, p.path("indexed").asLong(), p.path("embedded").asLong(), p.path("fromCache").asLong(),
                            Duration.between(started, finished).toMillis() / 1000.0, loadBefore, loadAverage());
                    System.out.printf("bench: search index (%s): %,d products in %.1f s = %.0f products/s (%,d embedded, %,d from the cache)%n",
                            label, b.products(), b.seconds(), b.productsPerSecond(), b.embedded(), b.fromCache());
                    return b;
                }
            }
            if (System.nanoTime() > nextPrint) {
                System.out.printf("bench: search index (%s): %s%n", label, p == null ? "no answer yet" : p.toString());
                nextPrint = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("search index (" + label + ") not rebuilt within " + max + ": " + p);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
