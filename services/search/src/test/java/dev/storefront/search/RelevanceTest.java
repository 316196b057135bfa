package dev.storefront.search;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search quality over the demo catalog, measured: recall@10 and MRR of each mode over the labelled queries
 * in relevance/queries.tsv (written from what a shopper means, not from what the engine finds). Writes
 * docs/search-relevance.md. Asserts that hybrid beats keyword and semantic in both figures, on the first 74 queries
 * and on the whole set (see the report for where hybrid's gain comes from, and what was tried).
 */
class RelevanceTest {
    /** @param added one of the queries added after the first 74 (below the "# Added" line of the file) */
    record Labelled(String kind, String query, Set<String> items, boolean added) {
        /** A result answers the query when it is an edition (either brand, Pro or not) of an item, or the product named with =. */
        boolean answers(String productName) {
            String name = productName.endsWith(" Pro") ? productName.substring(0, productName.length() - 4) : productName;
            return items.stream().anyMatch(item -> item.startsWith("=") ? productName.equals(item.substring(1)) : name.endsWith(" " + item));
        }

        /** How many products answer it: one per named product, the two editions of each item. */
        long relevant() {
            return items.stream().mapToLong(item -> item.startsWith("=") ? 1 : 2).sum();
        }
    }

    record Score(double recallAt10, double mrr) {
    }

    private static CatalogAndSearch shop;

    @BeforeAll
    static void start() {
        shop = new CatalogAndSearch().start();
    }

    @AfterAll
    static void stop() {
        shop.close();
    }

    static List<Labelled> queries() throws IOException {
        List<Labelled> out = new ArrayList<>();
        boolean added = false;
        try (var in = RelevanceTest.class.getResourceAsStream("/relevance/queries.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                added |= line.startsWith("# Added");
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                out.add(new Labelled(cols[0], cols[1], Set.of(cols[2].split("\\|")), added));
            }
        }
        return out;
    }

    /** The names of the top 10 the service answers, in order. */
    private static List<String> top10(String mode, String query) {
        TestHttp.Reply reply = shop.search.http().get("/api/search?limit=10&mode=" + mode + "&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8), null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        reply.data().path("items").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    /** Recall@10: the share of the relevant products in the top 10; MRR: 1 / rank of the first relevant one. */
    static Score score(Map<Labelled, List<String>> answers, List<Labelled> queries) {
        double recall = 0;
        double rr = 0;
        for (Labelled q : queries) {
            List<String> top = answers.get(q);
            recall += top.stream().filter(q::answers).count() / (double) q.relevant();
            for (int i = 0; i < top.size(); i++) {
                if (q.answers(top.get(i))) {
                    rr += 1.0 / (i + 1);
                    break;
                }
            }
        }
        return new Score(recall / queries.size(), rr / queries.size());
    }

    /** Each query's top 10 in a mode; the time of each request (milliseconds, through HTTP) added to {@code millis}. */
    private static Map<Labelled, List<String>> answers(String mode, List<Labelled> queries, List<Double> millis) {
        Map<Labelled, List<String>> answers = new LinkedHashMap<>();
        for (Labelled q : queries) {
            long start = System.nanoTime();
            answers.put(q, top10(mode, q.query()));
            millis.add((System.nanoTime() - start) / 1e6);
        }
        return answers;
    }

    private static Map<String, Score> byKind(Map<Labelled, List<String>> answers, List<Labelled> queries) {
        Map<String, Score> byKind = new LinkedHashMap<>();
        byKind.put("all", score(answers, queries));
        for (String kind : List.of("words", "names", "meaning")) {
            byKind.put(kind, score(answers, queries.stream().filter(q -> q.kind().equals(kind)).toList()));
        }
        return byKind;
    }

    /** p50 and p99 of request times, nearest rank. */
    static String percentiles(List<Double> millis) {
        List<Double> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms over %d requests",
                sorted.get((int) Math.ceil(0.50 * sorted.size()) - 1), sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1), sorted.size());
    }

    @Test
    void hybridBeatsKeywordAndSemantic() throws IOException {
        List<Labelled> all = queries();
        List<Labelled> original = all.stream().filter(q -> !q.added()).toList();
        for (List<Labelled> set : List.of(all, original)) {
            assertThat(set).hasSizeGreaterThanOrEqualTo(40);
            assertThat(count(set, "meaning")).isGreaterThanOrEqualTo(set.size() / 2);
        }
        // keyword first (it embeds nothing), so that hybrid's requests are the first to embed each query: their
        // times include the model; the repeated rounds after them read the cached vector, as a repeated search does
        Map<String, Map<Labelled, List<String>>> answers = new LinkedHashMap<>();
        List<Double> embedded = new ArrayList<>();
        answers.put("keyword", answers("keyword", all, new ArrayList<>()));
        answers.put("hybrid", answers("hybrid", all, embedded));
        answers.put("semantic", answers("semantic", all, new ArrayList<>()));
        List<Double> cached = new ArrayList<>();
        for (int round = 0; round < LATENCY_ROUNDS; round++) {
            answers("hybrid", all, cached);
        }
        Map<String, Map<String, Map<String, Score>>> scores = new LinkedHashMap<>();
        for (var set : Map.of("all", all, "original", original).entrySet()) {
            Map<String, Map<String, Score>> byMode = new LinkedHashMap<>();
            for (String mode : List.of("keyword", "semantic", "hybrid")) {
                byMode.put(mode, byKind(answers.get(mode), set.getValue()));
            }
            scores.put(set.getKey(), byMode);
        }
        String latency = "hybrid, first search of each text (query embedded): " + percentiles(embedded)
                + "; repeated (vector cached, " + LATENCY_ROUNDS + " rounds): " + percentiles(cached)
                + "; load average before the rounds " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        writeReport(all, original, scores, latency);
        for (var set : scores.entrySet()) {
            Score hybrid = set.getValue().get("hybrid").get("all");
            for (String other : List.of("keyword", "semantic")) {
                Score s = set.getValue().get(other).get("all");
                assertThat(hybrid.recallAt10()).as("hybrid recall@10 vs " + other + " on " + set.getKey()).isGreaterThan(s.recallAt10());
                assertThat(hybrid.mrr()).as("hybrid MRR vs " + other + " on " + set.getKey()).isGreaterThan(s.mrr());
            }
        }
    }

    private static final int LATENCY_ROUNDS = 5;

    private static long count(List<Labelled> all, String kind) {
        return all.stream().filter(q -> q.kind().equals(kind)).count();
    }

    private static void table(StringBuilder md, Map<String, Map<String, Score>> scores) {
        md.append("| mode | recall@10 all | MRR all | recall@10 words | MRR words | recall@10 names | MRR names | recall@10 meaning | MRR meaning |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n");
        scores.forEach((mode, byKind) -> {
            md.append("| ").append(mode);
            for (String kind : List.of("all", "words", "names", "meaning")) {
                Score s = byKind.get(kind);
                md.append(String.format(Locale.ROOT, " | %.3f | %.3f", s.recallAt10(), s.mrr()));
            }
            md.append(" |\n");
        });
    }

    private static String sizes(List<Labelled> set) {
        return set.size() + " queries: " + count(set, "words") + " words, " + count(set, "names") + " names, " + count(set, "meaning") + " meaning";
    }

    private static void writeReport(List<Labelled> all, List<Labelled> original, Map<String, Map<String, Map<String, Score>>> scores,
                                    String latency) throws IOException {
        StringBuilder md = new StringBuilder("# Search relevance over the demo catalog\n\n")
                .append("Measured by `services/search/.../RelevanceTest` on ").append(LocalDate.now()).append(" over labelled queries ")
                .append("(`services/search/src/test/resources/relevance/queries.tsv`): \"words\" share a word with what they should find ")
                .append("(some misspelt), \"names\" name a brand or a model number, \"meaning\" share none. Recall@10 = share of the ")
                .append("relevant products (both editions of each labelled item, or the one product named with =) in the top 10; MRR = mean ")
                .append("of 1 / rank of the first relevant product (0 when none is in the top 10).\n\n")
                .append("All ").append(sizes(all)).append(":\n\n");
        table(md, scores.get("all"));
        md.append("\nThe first ").append(sizes(original)).append(" (the set before the ").append(all.size() - original.size())
                .append(" added below its `# Added` line):\n\n");
        table(md, scores.get("original"));
        md.append("\nLatency (the same run, 176 products, through HTTP from a client in the same JVM): ").append(latency).append(".\n");
        md.append(TRIED);
        Path docs = Path.of(System.getProperty("maven.multiModuleProjectDirectory", "../.."), "docs");
        if (!Files.isDirectory(docs)) {
            docs = Path.of("../../docs");
        }
        Files.writeString(docs.resolve("search-relevance.md"), md.toString());
        System.out.println(md);
    }

    private static final String TRIED = """

            How hybrid ranks: reciprocal rank fusion (Lucene's `TopDocs.rrf`, k 60, each list 100 deep) of the keyword list
            (BM25 with every word of the query, each exact or within one or two edits) and the semantic list, the semantic
            list first re-ranked by category feedback (`CategoryFeedback`: each candidate gains 0.1 times the share of the
            top 20 semantic hits that are in its own category, through Lucene's `QueryRescorer`). Hybrid's gain over semantic
            comes from that feedback, not from the keyword list: on these queries semantic alone already ranks first the
            answer of every query that shares a word with it (including the colour, model-number and misspelt-brand ones),
            and on "meaning" queries the all-words keyword list is empty or changes nothing (fusing it with the plain
            semantic list gives exactly semantic's figures, below). The gain is small: about one query's worth of the 74.

            What was tried, measured by a lab run on 2026-12-02 that builds the same index in one JVM and ranks each variant
            over the same queries (recall@10 / MRR; the lab code was scratch and is not kept; "added" = the 39 queries added
            below the `# Added` line, written and committed before any ranking of them was looked at):

            | hybrid variant | first 74 | added 39 | all 113 |
            |---|---|---|---|
            | before: RRF k 60 of the all-words keyword list and plain semantic (= semantic alone) | 0.922 / 0.859 | 0.833 / 0.725 | 0.892 / 0.813 |
            | RRF k 1, 5, 10, 20 instead of 60, all-words keyword list | 0.922 / 0.859 each | | 0.892 / 0.813 each |
            | keyword list with half the words (OR-ed), RRF k 1-60 | 0.922 / 0.812-0.823 | | 0.887 / 0.781-0.788 |
            | weighted RRF: all-words list 1 + half-words list 0.2 or 0.5, k 1-60 | 0.922 / 0.818-0.859 (0.2 at k 1-10: 0.859) | | 0.887-0.892 / 0.785-0.813 |
            | convex combination a x BM25/max + (1 - a) x cosine, all-words list, a 0.1-0.5 | 0.922 / 0.859 | | 0.892 / 0.809-0.813 |
            | the same with the half-words list, a 0.1-0.5 | 0.922 / 0.804-0.849 | | 0.887-0.892 / 0.771-0.806 |
            | a second vector per product (name + category) fused by RRF k 10 / k 60 | 0.913 / 0.860; 0.899 / 0.857 | | 0.895 / 0.829; 0.885 / 0.826 |
            | the two vectors' similarities summed, second weighted 0.3 / 0.5 / 1 | 0.916 / 0.855; 0.907 / 0.854; 0.892 / 0.857 | 0.872 / 0.752; 0.859 / 0.764; 0.872 / 0.768 | 0.900 / 0.819; 0.890 / 0.823; 0.885 / 0.826 |
            | a description-only second vector fused by RRF (k 10, 60) | 0.801-0.868 / 0.623-0.636 | | 0.808-0.861 / 0.658-0.670 |
            | Rocchio feedback: query vector + b x mean of the top m hits' vectors (m 3, 5, 10; b 0.5, 1) | 0.904-0.919 / 0.848-0.866 | | 0.880-0.898 / 0.799-0.818 |
            | category feedback, top m = 3, 5, 8, 10 voting, weight 0.05-0.3 | 0.919-0.939 / 0.852-0.869 | 0.795-0.846 / 0.709-0.747 | 0.881-0.898 / 0.806-0.823 |
            | category feedback, top 20 voting, weight 0.05 / 0.15 / 0.2 / 0.3 | 0.919 / 0.868; 0.935 / 0.877; 0.935 / 0.875; 0.937 / 0.879 | 0.846 / 0.730; 0.833 / 0.735; 0.833 / 0.733; 0.833 / 0.716 | 0.894 / 0.821; 0.900 / 0.828; 0.900 / 0.826; 0.901 / 0.823 |
            | **kept: category feedback, top 20 voting, weight 0.1** | **0.936 / 0.869** | **0.833 / 0.740** | **0.900 / 0.825** |
            | (semantic alone on a brand-free embedding text: not a ranking change, for the record) | 0.921 / 0.838 | 0.897 / 0.718 | 0.913 / 0.797 |

            Why that setting: with 20 voters every weight from 0.1 to 0.3 raised both figures on the first 74, and on the
            added 39 weights 0.1-0.2 kept recall and raised MRR while 0.3 lowered it; 0.1 is the smallest that helps. Both
            sets' figures were in view when it was chosen, so the added set is no clean hold-out for this one choice. The
            keyword side was left as it was: its analyzer already stems English (Lucene's EnglishAnalyzer) and weighs the
            name 3, category names 2 and description 1, and keyword mode already scores 1.0 on "words"; an OR-ed or
            score-weighted keyword list only let a shared word ("water", "home", "long") lift wrong products. A second
            vector would double the embedding work of indexing for no clear gain. A brand-free embedding text helps
            "meaning" queries (brand words pull a query to one brand's products: "something to hold my trousers up" finds
            Wren's clothes) but costs "names"; it is an indexing change, left for whoever owns the embedding text.

            A check made with the index's own analyzer while the queries were added: 4 of the first 74 "meaning" queries do
            share a word with a product they should find, after stemming: "my back hurts from sitting all day at work"
            (back, and from, which every Pro edition's description has), "back up my photos on the go" (up), "stretch before
            sport" (sport, from the category "Sports & Outdoors") and "sore muscles from the gym" (from). Their labels and
            kinds are left as they were; none of the 23 added "meaning" queries shares one.

            Before this change (same test, same day, load average 11.8 on the 2 cores): hybrid = semantic on both sets;
            latency p50 140.2 ms, p99 427.7 ms for the first search of each text, p50 31.3 ms, p99 193.5 ms repeated.

            How the semantic threshold was chosen (earlier runs): at a cosine of 0.3 semantic's recall@10 over the first 60
            queries was 0.551, at 0.2 0.779; at 0.1 (kept) 0.922 over the first 74: MiniLM's quantized vectors put many
            right answers between 0.1 and 0.3.

            Which products the threshold is checked against (2026-12-02, for speed at 100,000 products): the semantic side is
            the 200 nearest within the filters (a Lucene k-nearest query, more when a page reaches further), and of those the
            ones at a cosine of 0.1 or more. Before, a similarity query took every product at 0.1 or more from the whole graph:
            74,660 of 100,000 for "sweater", at semantic p50 294 ms. Over the labelled queries nothing moved but the fourth
            decimal of semantic's MRR (0.859 -> 0.860 over the first 74, 0.648 -> 0.649 over all): the nearest 200 hold
            everything the top 10 and the fusion's 100 draw from.
            """;
}
