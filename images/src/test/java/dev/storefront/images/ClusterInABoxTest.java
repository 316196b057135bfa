package dev.storefront.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.marcnuri.helm.Helm;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The images, run for real, and the shop they make: the operator's chart applied to fabric8's mock API server, the
 * operator running from its image, a Storefront applied, and {@link Box} playing the node for everything the
 * operator writes. Steps run in order; each is timed into operator/target/cluster-in-a-box.md.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterInABoxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR_NS = "storefront-system";
    private static final String SHOP_NS = "shop";
    private static final String SHOP = "storefront";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(7);
    /** Starts per image for its start -> Ready time; -Dbox.samples=3 for the medians of 3 in the README (about 4 minutes more). */
    private static final int SAMPLES = Integer.getInteger("box.samples", 1);

    private static Map<String, OciImage> images;
    private static Box box;
    private static Router router;
    private static String prefix;
    private static final Map<String, String> steps = new LinkedHashMap<>();
    private static final Map<String, List<Double>> startToReady = new TreeMap<>();
    private static final List<String> findings = new ArrayList<>();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static Instant began;
    private static String lastConditions;
    private static volatile String failedStep;
    private static String lastPods;
    private static final List<Double> soloOperator = new ArrayList<>();
    /** The shop's SMTP server, on the node's address: notify logs in with the user's Secret "smtp". */
    private static GreenMail mailServer;
    private static final String MAIL_LOGIN = "mailer";

    @BeforeAll
    static void start() throws Exception {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assertThat(new ProcessBuilder("id", "-u").start().inputReader().readLine())
                .as("the node needs root for network namespaces, mounts and chroot (CI runs as root)").isEqualTo("0");
        began = Instant.now();
        images = Images.all();
        box = new Box(Path.of("target/box").toAbsolutePath(), images);
        mailServer = new GreenMail(new ServerSetup(3025, box.net.nodeAddress, ServerSetup.PROTOCOL_SMTP));
        mailServer.start();
        mailServer.getUserManager().setAuthRequired(true);
        mailServer.getUserManager().createUser("mailer@shop.box.test", MAIL_LOGIN, "smtp-password-1");
        prefix = "box_" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).substring(0, 8);
        // a killed test run (SIGTERM) still drops its databases; the box removes its pods and network itself
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dropDatabases(prefix);
            } catch (Exception e) {
                System.err.println("cluster-in-a-box: cannot drop the databases " + prefix + "_*: " + e.getMessage());
            }
        }, "box-databases"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (box != null) {
                writeReport();
            }
        } finally {
            if (router != null) {
                router.close();
            }
            if (mailServer != null) {
                mailServer.stop();
            }
            if (box != null) {
                box.close();
            }
            if (prefix != null) {
                dropDatabases(prefix);
            }
        }
    }

    // ------------------------------------------------------------------ steps

    @Test
    @Order(1)
    void theChartInstallsAndTheOperatorRunsFromItsImage() throws Exception {
        step("install the chart (CRD, RBAC, operator Deployment) and run the operator pod to Ready", () -> {
            Path chart = Images.repoRoot().resolve("charts/storefront-operator");
            try (var crd = Files.newInputStream(chart.resolve("files/crds/storefronts.storefront.dev-v1.yml"))) {
                box.client.resource(box.client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
            }
            box.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(OPERATOR_NS).endMetadata().build()).create();
            var template = new Helm(chart).template().withName("storefront-operator").withNamespace(OPERATOR_NS)
                    .withKubeVersion("1.31.0")
                    .set("crds.install", "false") // created above, before the namespace
                    .set("image.tag", System.getProperty("image.tag"))
                    .set("image.repository", System.getProperty("image.registry") + "/storefront-operator")
                    // the mock API server does not speak server-side apply
                    .set("extraEnv[0].name", "SERVER_SIDE_APPLY").set("extraEnv[0].value", "false");
            var rules = new ArrayList<io.fabric8.kubernetes.api.model.rbac.PolicyRule>();
            for (String document : template.call().split("(?m)^---\\s*$")) {
                if (!document.isBlank() && document.contains("kind:")) {
                    HasMetadata resource = box.client.getKubernetesSerialization().unmarshal(document, HasMetadata.class);
                    box.client.resource(resource).inNamespace(OPERATOR_NS).create();
                    if (resource instanceof io.fabric8.kubernetes.api.model.rbac.Role role) {
                        rules.addAll(role.getRules());
                    }
                }
            }
            box.grantRules(OPERATOR_NS, rules);
            box.schedule(OPERATOR_NS);
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                    !box.pods(OPERATOR_NS, "storefront-operator").isEmpty() && box.pods(OPERATOR_NS, "storefront-operator").getFirst().ready);
            return null;
        });
        var operator = box.pods(OPERATOR_NS, "storefront-operator").getFirst();
        assertThat(operator.image).isEqualTo(images.get("operator").name());
    }

    @Test
    @Order(2)
    void aStorefrontIsAppliedAndTheOperatorWritesTheShop() throws Exception {
        step("apply the Storefront (external PostgreSQL and NATS, demo data, simulated payments); operator writes it", () -> {
            box.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SHOP_NS).endMetadata().build()).create();
            box.client.secrets().inNamespace(SHOP_NS).resource(new SecretBuilder().withNewMetadata().withName("pg-admin").endMetadata()
                    .addToStringData("username", "postgres").addToStringData("password", "").build()).create();
            box.client.secrets().inNamespace(SHOP_NS).resource(new SecretBuilder().withNewMetadata().withName("smtp").endMetadata()
                    .addToStringData("username", MAIL_LOGIN).addToStringData("password", "smtp-password-1").build()).create();
            box.client.resource(storefront()).create();
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    box.client.apps().deployments().inNamespace(SHOP_NS).list().getItems().size() == ShopService.values().length
                            && box.client.services().inNamespace(SHOP_NS).list().getItems().size() >= ShopService.values().length
                            && condition("DatabaseReady").map(c -> "True".equals(c.getStatus())).orElse(false));
            return null;
        });
        assertThat(dbNames(prefix)).hasSize(ShopService.backends().size());
    }

    @Test
    @Order(3)
    void everyImageBecomesReadyAsNonRootOnAReadOnlyRootWithTheOperatorsEnvironment() throws Exception {
        step("every image started " + SAMPLES + " times on its own with its Deployment's pod template, to Ready", () -> {
            for (Deployment deployment : sorted(box.client.apps().deployments().inNamespace(SHOP_NS).list().getItems())) {
                String name = deployment.getMetadata().getName();
                PodTemplateSpec template = deployment.getSpec().getTemplate();
                for (int run = 1; run <= SAMPLES; run++) {
                    var pod = box.runStandalone(SHOP_NS, name + "-solo" + run, template, Map.of());
                    if (name.equals(SHOP + "-search")) {
                        try {
                            // search is Ready only once its first full load from catalog and inventory has finished, and
                            // neither runs here: it must listen and stay live (no restart) but not turn Ready
                            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> pod.restarts > 0
                                    || pod.container != null && pod.container.tail(400).contains("search ready on port"));
                            if (run == 1 && pod.restarts == 0) {
                                assertNonRootReadOnly(pod);
                            }
                            Thread.sleep(30_000); // six readiness periods, and past the liveness probe's first checks
                            assertThat(pod.restarts).as("search restarted while it waited for catalog:\n" + logOf(pod)).isZero();
                            assertThat(pod.ready).as("search turned Ready with no catalog to load from:\n" + logOf(pod)).isFalse();
                        } finally {
                            pod.terminate();
                            pod.awaitStopped(Duration.ofSeconds(40));
                        }
                        continue;
                    }
                    try {
                        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> pod.ready || pod.restarts > 0);
                        assertThat(pod.ready).as(name + " did not become Ready:\n" + logOf(pod)).isTrue();
                        if (run == 1) {
                            assertNonRootReadOnly(pod);
                        }
                        startToReady.computeIfAbsent(name.replace(SHOP + "-", "storefront-"), k -> new ArrayList<>())
                                .add(pod.secondsToReady);
                    } finally {
                        pod.terminate();
                        pod.awaitStopped(Duration.ofSeconds(40));
                    }
                }
            }
            // the operator image from its Deployment's template, beside the running operator: without leader election
            // and watching an empty namespace, so that it neither waits for the lease nor acts on the shop
            assertNonRootReadOnly(box.pods(OPERATOR_NS, "storefront-operator").getFirst());
            var operatorTemplate = box.client.apps().deployments().inNamespace(OPERATOR_NS).withName("storefront-operator").get()
                    .getSpec().getTemplate();
            for (int run = 1; run <= SAMPLES; run++) {
                var pod = box.runStandalone(OPERATOR_NS, "storefront-operator-solo" + run, operatorTemplate,
                        Map.of("LEADER_ELECTION", "false", "WATCH_NAMESPACES", "box-idle"));
                try {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> pod.ready || pod.restarts > 0);
                    assertThat(pod.ready).as("operator did not become Ready:\n" + logOf(pod)).isTrue();
                    soloOperator.add(pod.secondsToReady);
                } finally {
                    pod.terminate();
                    pod.awaitStopped(Duration.ofSeconds(40));
                }
            }
            return null;
        });
        startToReady.put("storefront-operator", soloOperator);
        for (var entry : startToReady.entrySet()) {
            assertThat(entry.getValue()).as(entry.getKey()).hasSize(SAMPLES).allMatch(s -> s > 0);
        }
        System.out.println("[box] start -> Ready (s), median of 3: " + medians());
    }

    @Test
    @Order(4)
    void theNodeRunsTheShopAndTheStorefrontTurnsReadyByItself() throws Exception {
        step("node runs every Deployment; Storefront condition Ready=True", () -> {
            box.schedule(SHOP_NS);
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() ->
                    condition("Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
            return null;
        });
        router = new Router(box, SHOP_NS, SHOP);
        assertThat(router.routes()).extracting(Router.Route::prefix).contains("/api/auth", "/api/products", "/");
    }

    @Test
    @Order(5)
    void aShopperRegistersBrowsesFillsACartAndChecksOut() throws Exception {
        step("shopper: register, browse, add to cart, check out; order CONFIRMED, mail recorded", () -> {
            shop();
            return null;
        });
    }

    @Test
    @Order(6)
    void scalingCatalogToTwoReplicasServesFromBoth() throws Exception {
        step("scale catalog to 2 replicas: 2 pods Ready, requests reach both", () -> {
            edit(sf -> sf.getSpec().services.catalog.replicas = 2);
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() ->
                    box.pods(SHOP_NS, SHOP + "-catalog").stream().filter(p -> p.ready).count() == 2
                            && condition("Ready").map(c -> "True".equals(c.getStatus())).orElse(false));
            return null;
        });
        var catalog = box.pods(SHOP_NS, SHOP + "-catalog");
        var before = catalog.stream().map(p -> p.served.get()).toList();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/api/products?limit=3", null).path("success").asBoolean()).isTrue();
        }
        for (int i = 0; i < catalog.size(); i++) {
            assertThat(catalog.get(i).served.get()).as(catalog.get(i).name + " got requests").isGreaterThan(before.get(i));
        }
    }

    @Test
    @Order(7)
    void aConfigurationChangeRollsThePodsWhileTheShopAnswers() throws Exception {
        var failures = new ArrayList<String>();
        var answered = new int[1];
        step("change a catalog setting: pods roll one by one (maxSurge 1, maxUnavailable 0), the shop keeps answering", () -> {
            var oldPods = box.pods(SHOP_NS, SHOP + "-catalog").stream().map(p -> p.name).toList();
            String oldHash = Box.templateHash(box.client.apps().deployments().inNamespace(SHOP_NS).withName(SHOP + "-catalog").get()
                    .getSpec().getTemplate());
            edit(sf -> sf.getSpec().services.catalog.env.add(new StorefrontSpec.EnvOverride("SERVER_MAX_DASH_CONCURRENT_DASH_REQUESTS", "2000")));
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    JsonNode reply = get("/api/products?limit=2", null);
                    if (reply.path("success").asBoolean()) {
                        answered[0]++;
                    } else {
                        failures.add(reply.toString());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
                var pods = box.pods(SHOP_NS, SHOP + "-catalog");
                String hash = Box.templateHash(box.client.apps().deployments().inNamespace(SHOP_NS).withName(SHOP + "-catalog").get()
                        .getSpec().getTemplate());
                if (!hash.equals(oldHash) && pods.size() == 2 && pods.stream().allMatch(p -> p.ready && p.hash.equals(hash))
                        && pods.stream().noneMatch(p -> oldPods.contains(p.name))) {
                    return null;
                }
                Box.sleep(200);
            }
            throw new AssertionError("catalog did not roll: " + box.pods(SHOP_NS, SHOP + "-catalog"));
        });
        assertThat(failures).as("requests that failed during the roll (of " + (answered[0] + failures.size()) + ")").isEmpty();
        assertThat(answered[0]).isGreaterThan(5);
    }

    @Test
    @Order(8)
    void aKilledPodIsRestartedAndTheShopRecovers() throws Exception {
        step("kill -9 the cart pod's JVM: restarted (restartPolicy Always), shop recovers", () -> {
            var cart = box.pods(SHOP_NS, SHOP + "-cart").getFirst();
            int restarts = cart.restarts;
            cart.container.killMain();
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> cart.restarts > restarts && cart.ready);
            String token = login(register("Kill Nine"));
            JsonNode product = firstProductInStock();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).until(() ->
                    send("POST", "/api/cart/add", token, Map.of("productId", product.path("id").asText(), "quantity", 1), Map.of())
                            .path("success").asBoolean());
            return null;
        });
    }

    @Test
    @Order(9)
    void rotatingTheSigningKeyRollsAuthWhileALoggedInShopperKeepsWorking() throws Exception {
        var unauthorized = new ArrayList<String>();
        var failures = new ArrayList<String>();
        var answered = new int[1];
        var kids = new String[2];
        step("rotate the JWT signing key (" + Storefront.ROTATE_SIGNING_KEY_ANNOTATION + ") while a shopper is logged in: "
                + "auth's pod rolls, the shopper's token keeps working, new tokens carry the new kid", () -> {
            String email = register("Rotation Shopper");
            String token = login(email);
            kids[0] = kid(token);
            String deployment = SHOP + "-auth";
            var oldPods = box.pods(SHOP_NS, deployment).stream().map(p -> p.name).toList();
            String oldHash = templateHash(deployment);
            edit(sf -> {
                var annotations = new LinkedHashMap<String, String>(sf.getMetadata().getAnnotations() == null ? Map.of()
                        : sf.getMetadata().getAnnotations());
                annotations.put(Storefront.ROTATE_SIGNING_KEY_ANNOTATION, Instant.now().toString());
                sf.getMetadata().setAnnotations(annotations);
            });
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            boolean rolled = false;
            while (!rolled && System.nanoTime() < deadline) {
                // auth itself (a new pod verifies it with no cache) and another service (through auth's JWKS)
                for (String path : List.of("/api/auth/me", "/api/orders")) {
                    try {
                        JsonNode reply = get(path, token);
                        if (reply.path("success").asBoolean()) {
                            answered[0]++;
                        } else if (reply.path("httpStatus").asInt() == 401 || reply.path("status").asInt() == 401) {
                            unauthorized.add(path + " " + reply);
                        } else {
                            failures.add(path + " " + reply);
                        }
                    } catch (Exception e) {
                        failures.add(path + " " + e);
                    }
                }
                var pods = box.pods(SHOP_NS, deployment);
                String hash = templateHash(deployment);
                rolled = !hash.equals(oldHash) && !pods.isEmpty() && pods.stream().allMatch(p -> p.ready && p.hash.equals(hash))
                        && pods.stream().noneMatch(p -> oldPods.contains(p.name));
                Box.sleep(200);
            }
            assertThat(rolled).as("auth did not roll: " + box.pods(SHOP_NS, deployment)).isTrue();
            // the new pod signs with the new key once it is active (twice the 3 s reload interval set in the spec)
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> !kid(login(email)).equals(kids[0]));
            kids[1] = kid(login(email));
            JsonNode jwks = get("/api/auth/.well-known/jwks.json", null);
            assertThat(jwks.toString()).as("auth publishes the current and the previous key").contains(kids[0], kids[1]);
            JsonNode me = get("/api/auth/me", token);
            assertThat(me.path("success").asBoolean()).as("the token signed before the rotation, after it: " + me).isTrue();
            return null;
        });
        assertThat(unauthorized).as("401s for the token signed before the rotation").isEmpty();
        assertThat(failures).as("requests that failed during auth's roll (of " + (answered[0] + failures.size()) + ")").isEmpty();
        assertThat(answered[0]).isGreaterThan(5);
        findings.add("signing-key rotation: old kid " + kids[0] + ", new kid " + kids[1] + "; " + answered[0]
                + " requests with the old token during auth's roll, none refused");
    }

    @Test
    @Order(10)
    void aChangedSmtpPasswordInTheUsersSecretRollsNotifyOntoTheNewValue() throws Exception {
        step("change the SMTP password in the user's Secret (and on the mail server): notify's secret-hash changes, "
                + "its pod rolls, mail goes out with the new password", () -> {
            assertThat(mailServer.getReceivedMessages()).as("mail sent with the first password (the shopper steps)").isNotEmpty();
            String deployment = SHOP + "-notify";
            var oldPods = box.pods(SHOP_NS, deployment).stream().map(p -> p.name).toList();
            String oldSecretHash = podAnnotation(deployment, "storefront.dev/secret-hash");
            mailServer.getUserManager().getUser(MAIL_LOGIN).setPassword("smtp-password-2");
            long start = System.nanoTime();
            // as it was written (stringData: the CRUD mock keeps it as given, it has no API server to fold it into data)
            box.client.secrets().inNamespace(SHOP_NS).withName("smtp").edit(secret -> {
                secret.getStringData().put("password", "smtp-password-2");
                return secret;
            });
            assertThat(box.client.secrets().inNamespace(SHOP_NS).withName("smtp").get().getStringData())
                    .containsEntry("password", "smtp-password-2");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !oldSecretHash.equals(podAnnotation(deployment, "storefront.dev/secret-hash")));
            findings.add(String.format(Locale.ROOT, "SMTP Secret edited -> notify's secret-hash changed in %.1f s (watched, no resync)",
                    (System.nanoTime() - start) / 1e9));
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                var pods = box.pods(SHOP_NS, deployment);
                String hash = templateHash(deployment);
                return !pods.isEmpty() && pods.stream().allMatch(p -> p.ready && p.hash.equals(hash))
                        && pods.stream().noneMatch(p -> oldPods.contains(p.name));
            });
            String email = register("Mail Shopper");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                    Arrays.stream(mailServer.getReceivedMessages()).anyMatch(m -> recipients(m).contains(email)));
            return null;
        });
    }

    @Test
    @Order(11)
    void deletingTheStorefrontRunsTheFinalizerAndDropsTheDatabases() throws Exception {
        step("delete the Storefront: finalizer drops the databases (reclaimPolicy Delete), what it owned and its pods go", () -> {
            writeReport(); // the conditions before the delete
            box.client.resources(Storefront.class).inNamespace(SHOP_NS).withName(SHOP).delete();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                    box.client.resources(Storefront.class).inNamespace(SHOP_NS).withName(SHOP).get() == null
                            && dbNames(prefix).isEmpty());
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() ->
                    box.client.apps().deployments().inNamespace(SHOP_NS).list().getItems().isEmpty()
                            && box.pods().stream().noneMatch(p -> p.namespace.equals(SHOP_NS)));
            return null;
        });
        assertThat(names("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY 1", prefix)).isEmpty();
    }

    // ------------------------------------------------------------------ the shopper

    private static void shop() throws Exception {
        String email = "box-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        String token = login(register("Box Shopper", email));
        JsonNode products = get("/api/products?limit=20", null);
        assertThat(products.path("success").asBoolean()).as(products.toString()).isTrue();
        JsonNode product = firstProductInStock();
        String productId = product.path("id").asText();
        assertThat(get("/api/products/" + productId, null).path("data").path("name").asText()).isEqualTo(product.path("name").asText());
        JsonNode added = send("POST", "/api/cart/add", token, Map.of("productId", productId, "quantity", 1), Map.of());
        assertThat(added.path("success").asBoolean()).as(added.toString()).isTrue();
        JsonNode done = send("POST", "/api/checkout", token, Map.of("shippingAddress", Map.of("fullName", "Box Shopper",
                "line1", "1 Main Street", "city", "Springfield", "postalCode", "12345", "country", "US"),
                "paymentMethod", "pm_card_visa"), Map.of("Idempotency-Key", "box-" + UUID.randomUUID()));
        assertThat(done.path("success").asBoolean()).as(done.toString()).isTrue();
        String orderId = done.path("data").path("orderId").asText();
        JsonNode order = get("/api/orders/" + orderId, token);
        assertThat(order.path("data").path("status").asText()).as(order.toString()).isEqualTo("CONFIRMED");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode mails = get("/api/notifications", token);
            assertThat(mails.path("data").toString()).as(mails.toString()).contains(orderId.substring(0, 8));
        });
    }

    /**
     * A demo product with stock. Catalog seeds its demo products after it is Ready, and inventory stocks them when
     * their product.created events arrive: right after the shop turns Ready there may be none yet.
     */
    private static JsonNode firstProductInStock() throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                return productInStock();
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Box.sleep(1000);
            }
        }
    }

    private static JsonNode productInStock() throws Exception {
        var seen = new ArrayList<String>();
        JsonNode products = get("/api/products?limit=50", null);
        for (JsonNode product : products.path("data")) {
            JsonNode stock = get("/api/inventory/" + product.path("id").asText(), null);
            if (stock.path("data").path("inStock").asBoolean()) {
                return product;
            }
            if (seen.size() < 3) {
                seen.add(product.path("id").asText() + " -> " + stock);
            }
        }
        throw new AssertionError("no demo product is in stock: " + products.path("pagination") + " " + seen);
    }

    private static String register(String name) throws Exception {
        return register(name, "box-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
    }

    private static String register(String name, String email) throws Exception {
        JsonNode reply = send("POST", "/api/auth/register", null,
                Map.of("name", name, "email", email, "password", "correct-horse-9", "role", "customer"), Map.of());
        assertThat(reply.path("success").asBoolean()).as(reply.toString()).isTrue();
        return email;
    }

    private static String login(String email) throws Exception {
        JsonNode reply = send("POST", "/api/auth/login", null, Map.of("email", email, "password", "correct-horse-9"), Map.of());
        assertThat(reply.path("success").asBoolean()).as(reply.toString()).isTrue();
        return reply.path("data").path("accessToken").asText();
    }

    private static JsonNode get(String path, String token) throws Exception {
        return send("GET", path, token, null, Map.of());
    }

    private static JsonNode send(String method, String path, String token, Object body, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(router.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            JsonNode reply = JSON.readTree(response.body());
            if (reply instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
                object.put("httpStatus", response.statusCode());
            }
            return reply;
        } catch (Exception e) {
            return JSON.createObjectNode().put("success", false).put("status", response.statusCode()).put("body", response.body());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The kid of a JWT's header. */
    private static String kid(String token) throws Exception {
        return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0])).path("kid").asText();
    }

    private static String templateHash(String deployment) {
        return Box.templateHash(box.client.apps().deployments().inNamespace(SHOP_NS).withName(deployment).get().getSpec().getTemplate());
    }

    private static String podAnnotation(String deployment, String annotation) {
        return box.client.apps().deployments().inNamespace(SHOP_NS).withName(deployment).get().getSpec().getTemplate()
                .getMetadata().getAnnotations().get(annotation);
    }

    private static String recipients(jakarta.mail.internet.MimeMessage message) {
        try {
            return Arrays.toString(message.getAllRecipients());
        } catch (jakarta.mail.MessagingException e) {
            return "";
        }
    }

    private static Storefront storefront() {
        var sf = new Storefront();
        sf.getMetadata().setName(SHOP);
        sf.getMetadata().setNamespace(SHOP_NS);
        var spec = sf.getSpec();
        spec.image.registry = System.getProperty("image.registry");
        spec.image.tag = System.getProperty("image.tag");
        spec.image.pullPolicy = StorefrontSpec.PullPolicy.Never;
        spec.database.mode = StorefrontSpec.DatabaseMode.External;
        spec.database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        spec.database.namePrefix = prefix;
        spec.database.external = new StorefrontSpec.ExternalDatabase();
        spec.database.external.host = box.net.nodeAddress;
        spec.database.external.port = 5432;
        spec.database.external.sslMode = "disable";
        spec.database.external.adminSecretRef = new StorefrontSpec.SecretKeys("pg-admin");
        spec.messaging.mode = StorefrontSpec.MessagingMode.External;
        spec.messaging.external = new StorefrontSpec.ExternalNats();
        spec.messaging.external.url = "nats://" + box.net.nodeAddress + ":4222";
        spec.gateway = new StorefrontSpec.Gateway();
        spec.gateway.host = "shop.box.test";
        spec.gateway.parentRef = new StorefrontSpec.ParentRef();
        spec.gateway.parentRef.name = "box-gateway";
        spec.demoData = true;
        // mail goes out over SMTP to the test's mail server, with the login of the user's Secret "smtp"
        spec.mail.host = box.net.nodeAddress;
        spec.mail.port = mailServer.getSmtp().getPort();
        spec.mail.tls = false;
        spec.mail.secretRef = new StorefrontSpec.SecretKeys("smtp");
        // auth activates a rotated-in key after twice its key-ring reload interval (30 s by default)
        spec.services.auth.env.add(new StorefrontSpec.EnvOverride("STOREFRONT_AUTH_KEY_DASH_RELOAD_DASH_SECONDS", "3"));
        // this machine's NATS is shared with other test runs: the shop's own stream and subjects
        for (var service : ShopService.backends()) {
            var env = spec.services.get(service).env;
            env.add(new StorefrontSpec.EnvOverride("STOREFRONT_EVENTS_STREAM", prefix.toUpperCase(Locale.ROOT)));
            env.add(new StorefrontSpec.EnvOverride("STOREFRONT_EVENTS_SUBJECT_DASH_PREFIX", prefix));
        }
        return sf;
    }

    private static void edit(Consumer<Storefront> change) {
        box.client.resources(Storefront.class).inNamespace(SHOP_NS).withName(SHOP).edit(sf -> {
            change.accept(sf);
            return sf;
        });
    }

    private static java.util.Optional<Condition> condition(String type) {
        Storefront sf = box.client.resources(Storefront.class).inNamespace(SHOP_NS).withName(SHOP).get();
        if (sf == null || sf.getStatus() == null || sf.getStatus().conditions == null) {
            return java.util.Optional.empty();
        }
        return sf.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    /** The container's main process runs as 65532:65532 and its root is mounted read-only. */
    private static void assertNonRootReadOnly(Box.Kubelet pod) throws Exception {
        var main = pod.container.mainProcess().orElseThrow();
        String status = Files.readString(Path.of("/proc/" + main.pid() + "/status"));
        assertThat(status).containsPattern("(?m)^Uid:\\s+65532\\s+65532\\s+65532\\s+65532")
                .containsPattern("(?m)^Gid:\\s+65532\\s+65532\\s+65532\\s+65532");
        String rootMount = Files.readAllLines(Path.of("/proc/" + main.pid() + "/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals("/")).reduce((a, b) -> b).orElseThrow();
        assertThat(rootMount.split(" ")[5]).as(rootMount).startsWith("ro");
    }

    private static String logOf(Box.Kubelet pod) {
        return pod.container == null ? "(never started: " + pod.waitingReason + ")" : pod.container.tail(40);
    }

    private static List<Deployment> sorted(List<Deployment> deployments) {
        var list = new ArrayList<>(deployments);
        list.sort((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()));
        return list;
    }

    private static void step(String name, Callable<Void> body) throws Exception {
        assumeThat(failedStep).as("an earlier step failed: " + failedStep).isNull();
        long start = System.nanoTime();
        box.event("step: " + name);
        try {
            body.call();
            steps.put(name, String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
        } catch (Throwable e) {
            steps.put(name, String.format(Locale.ROOT, "FAILED after %.1f s: %s", (System.nanoTime() - start) / 1e9, e));
            failedStep = name;
            throw e;
        }
    }

    private static Map<String, String> medians() {
        var medians = new TreeMap<String, String>();
        startToReady.forEach((image, times) -> {
            var sortedTimes = new ArrayList<>(times);
            Collections.sort(sortedTimes);
            medians.put(image, sortedTimes.isEmpty() ? "-" : String.format(Locale.ROOT, "%.2f", sortedTimes.get(sortedTimes.size() / 2)));
        });
        return medians;
    }

    private static List<String> dbNames(String like) throws Exception {
        return names("SELECT datname FROM pg_database WHERE datname LIKE ? ORDER BY 1", like);
    }

    /** The databases, then the roles, of this run on the machine's PostgreSQL go (whatever the operator left). */
    private static void dropDatabases(String like) throws Exception {
        var statements = new ArrayList<String>();
        dbNames(like).forEach(db -> statements.add("DROP DATABASE IF EXISTS \"" + db + "\" WITH (FORCE)"));
        names("SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY 1", like)
                .forEach(role -> statements.add("DROP ROLE IF EXISTS \"" + role + "\""));
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             var s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    private static List<String> names(String query, String like) throws Exception {
        var names = new ArrayList<String>();
        try (var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
             var s = c.prepareStatement(query)) {
            s.setString(1, like + "%");
            for (var rows = s.executeQuery(); rows.next(); ) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static synchronized void writeReport() throws Exception {
        var md = new StringBuilder("# Cluster in a box\n\n");
        md.append("Run ").append(began).append(", ").append(String.format(Locale.ROOT, "%.0f s",
                Duration.between(began, Instant.now()).toMillis() / 1000.0)).append(" in all. Written by ")
                .append("images/src/test/java/dev/storefront/images/ClusterInABoxTest.java.\n\n## Steps\n\n| step | time |\n|---|---|\n");
        steps.forEach((step, time) -> md.append("| ").append(step).append(" | ").append(time).append(" |\n"));
        md.append("\n## Images\n\nStart -> Ready: from the container's start to the first 200 of its readiness path, polled every 100 ms, "
                + "each image started on its own with its Deployment's pod template (the operator's: the operator pod as the chart makes it).\n\n"
                + "| image | compressed size | start -> Ready, s (" + SAMPLES + " runs) | median |\n|---|---|---|---|\n");
        var medians = medians();
        for (OciImage image : images.values()) {
            String repo = image.name().replaceAll(".*/", "").replaceAll(":.*", "");
            md.append("| ").append(image.name()).append(" | ").append(String.format(Locale.ROOT, "%.1f MB", image.compressedBytes() / 1e6))
                    .append(" | ").append(startToReady.getOrDefault(repo, List.of()).stream()
                            .map(s -> String.format(Locale.ROOT, "%.2f", s)).toList())
                    .append(" | ").append(medians.getOrDefault(repo, "-")).append(" |\n");
        }
        var podTable = new StringBuilder("| pod | image | address | restarts | start -> Ready, s | requests and connections sent to it |\n|---|---|---|---|---|---|\n");
        for (Box.Kubelet pod : box.pods()) {
            podTable.append("| ").append(pod.namespace).append('/').append(pod.name).append(" | ").append(pod.image).append(" | ")
                    .append(pod.ip).append(" | ").append(pod.restarts).append(" | ")
                    .append(pod.secondsToReady < 0 ? "not Ready" : String.format(Locale.ROOT, "%.2f", pod.secondsToReady))
                    .append(" | ").append(pod.served.get()).append(" |\n");
        }
        if (box.pods().stream().anyMatch(p -> p.namespace.equals(SHOP_NS))) {
            lastPods = podTable.toString(); // the shop's pods, before the delete takes them
        }
        md.append("\n## Pods (before the Storefront was deleted)\n\n").append(lastPods == null ? podTable : lastPods);
        md.append("\n## Storefront conditions\n\n");
        Storefront sf = box.client.resources(Storefront.class).inNamespace(SHOP_NS).withName(SHOP).get();
        if (sf != null && sf.getStatus() != null && sf.getStatus().conditions != null) {
            var table = new StringBuilder("As last seen before the delete, ").append(Instant.now()).append(":\n\n")
                    .append("| type | status | reason | message |\n|---|---|---|---|\n");
            for (Condition c : sf.getStatus().conditions) {
                table.append("| ").append(c.getType()).append(" | ").append(c.getStatus()).append(" | ").append(c.getReason())
                        .append(" | ").append(c.getMessage()).append(" |\n");
            }
            lastConditions = table.toString();
        }
        md.append(lastConditions == null ? "(no status was written)\n" : lastConditions);
        if (sf == null && lastConditions != null) {
            md.append("\nThen the Storefront was deleted: its finalizer ran and it is gone.\n");
        }
        if (!findings.isEmpty()) {
            md.append("\n## Findings\n\n");
            findings.forEach(f -> md.append("- ").append(f).append('\n'));
        }
        md.append("\n## Events\n\n```\n");
        box.events.forEach(e -> md.append(e).append('\n'));
        md.append("```\n");
        Path report = Images.repoRoot().resolve("operator/target/cluster-in-a-box.md");
        Files.createDirectories(report.getParent());
        Files.writeString(report, md);
        Files.writeString(Path.of("target/cluster-in-a-box.md"), md);
    }
}
