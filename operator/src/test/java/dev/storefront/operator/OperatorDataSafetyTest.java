package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.storefront.operator.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's care for data (issue 16): names and ownership marks on a shared server, Retain, deletion that never
 * hangs, Secrets that roll pods, start order, kstatus conditions and Events. The real JOSDK Operator against
 * fabric8's mock API server, databases on the real local PostgreSQL under names of this run only.
 */
class OperatorDataSafetyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * For a cleanup that drops 8 databases: DROP DATABASE waits for a checkpoint, which took 5.4 s per database on
     * this shared machine under the other suites' load (0.7 s to create one), so 30 s was not always enough.
     */
    private static final Duration DROP_WAIT = Duration.ofMinutes(2);
    /** The cleanup bound for this test's operator (the default is 10 minutes). */
    static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(4);

    @RegisterExtension
    static final OperatorFixture OPERATOR = OperatorFixture.withAgent("storefront-operator-data-safety-test")
            .systemProperty(OperatorSettings.CLEANUP_TIMEOUT_PROPERTY, CLEANUP_TIMEOUT.toString());
    /** This run's namespaces start with it, so do the default database names made from them. */
    private static final String RUN = OPERATOR.dropAfterwards(TestSupport.uniquePrefix());
    private static KubernetesClient client;

    @BeforeAll
    static void client() {
        client = OPERATOR.client();
    }


    @Test
    void sameNamedStorefrontsInTwoNamespacesShareNoRoleAndDeletingOneLeavesTheOthersDatabases() throws Exception {
        String east = namespace("east");
        String west = namespace("west");
        for (String ns : List.of(east, west)) {
            OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
            Storefront sf = externalStorefront(ns, "shop", "pg-admin");
            sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
            OPERATOR.create(ns, sf);
        }
        String eastPrefix = RUN + "_east_shop";
        String westPrefix = RUN + "_west_shop";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition(OPERATOR.get(east, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
            assertThat(condition(OPERATOR.get(west, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
        });
        assertThat(TestSupport.rolesLike(eastPrefix + "_")).hasSize(ShopService.backends().size());
        assertThat(TestSupport.rolesLike(westPrefix + "_")).hasSize(ShopService.backends().size());
        assertThat(OPERATOR.secretValue(east, "shop-db-cart", "username")).isEqualTo(eastPrefix + "_cart");
        assertThat(OPERATOR.secretValue(west, "shop-db-cart", "username")).isEqualTo(westPrefix + "_cart");
        // each role has its own Secret's password
        assertThat(TestSupport.passwordMatches(eastPrefix + "_cart", OPERATOR.secretValue(east, "shop-db-cart", "password"))).isTrue();
        assertThat(TestSupport.passwordMatches(westPrefix + "_cart", OPERATOR.secretValue(west, "shop-db-cart", "password"))).isTrue();

        client.resources(Storefront.class).inNamespace(east).withName("shop").delete();
        await().atMost(DROP_WAIT).untilAsserted(() -> {
            assertThat(OPERATOR.get(east, "shop")).isNull();
            assertThat(TestSupport.databasesLike(eastPrefix + "_")).isEmpty();
        });
        assertThat(TestSupport.databasesLike(westPrefix + "_")).hasSize(ShopService.backends().size());
        assertThat(TestSupport.rolesLike(westPrefix + "_")).hasSize(ShopService.backends().size());
    }

    @Test
    void aPreExistingDatabaseNotMarkedAsOursIsLeftAloneAndSaidSoInAConditionAndAnEvent() throws Exception {
        String ns = namespace("foreign");
        String taken = RUN + "_foreign_shop_order";
        try (var connection = TestSupport.admin(); var sql = connection.createStatement()) {
            sql.execute("CREATE ROLE \"" + taken + "\" LOGIN PASSWORD 'TheirOwn1'");
            sql.execute("CREATE DATABASE \"" + taken + "\" OWNER \"" + taken + "\"");
        }
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() -> {
            Condition database = condition(OPERATOR.get(ns, "shop"), Conditions.DATABASE_READY);
            assertThat(database.getReason()).isEqualTo("NotOwned");
            assertThat(database.getMessage()).contains(taken, "without the storefront.dev ownership mark");
            assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Warning NotOwned").contains(taken));
        });
        assertThat(TestSupport.passwordMatches(taken, "TheirOwn1")).as("its password was not touched").isTrue();

        client.resources(Storefront.class).inNamespace(ns).withName("shop").delete();
        await().atMost(DROP_WAIT).untilAsserted(() -> assertThat(OPERATOR.get(ns, "shop")).isNull());
        assertThat(TestSupport.databasesLike(RUN + "_foreign_shop_")).containsExactly(taken);
    }

    @Test
    void retainKeepsTheVolumeAndTheAdminSecretAndARecreatedStorefrontAdoptsThemAndLogsIn() throws Exception {
        String ns = namespace("retain");
        var sf = new Storefront();
        sf.getMetadata().setName("kept");
        sf.getMetadata().setNamespace(ns);
        String firstUid = OPERATOR.create(ns, sf).getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.secrets().inNamespace(ns).withName("kept-postgres-admin").get()).isNotNull();
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("kept-postgres").get()).isNotNull();
        });
        Secret admin = client.secrets().inNamespace(ns).withName("kept-postgres-admin").get();
        assertThat(admin.getMetadata().getOwnerReferences()).as("garbage collection must not take it").isEmpty();
        // the StatefulSet controller gives the volume no owner reference either under this policy
        assertThat(client.apps().statefulSets().inNamespace(ns).withName("kept-postgres").get().getSpec()
                .getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        String password = OPERATOR.secretValue(ns, "kept-postgres-admin", "password");
        // what initdb wrote into the kept volume: the superuser with that password (here on the local server)
        String superuser = RUN + "_retain_superuser";
        try (var connection = TestSupport.admin(); var sql = connection.createStatement()) {
            sql.execute("CREATE ROLE \"" + superuser + "\" LOGIN PASSWORD '" + password + "'");
        }

        client.resources(Storefront.class).inNamespace(ns).withName("kept").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(OPERATOR.get(ns, "kept")).isNull());
        assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Normal Retained").contains("kept-postgres-admin"));

        var again = new Storefront();
        again.getMetadata().setName("kept");
        again.getMetadata().setNamespace(ns);
        assertThat(OPERATOR.create(ns, again).getMetadata().getUid()).isNotEqualTo(firstUid);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "kept"), Conditions.DATABASE_READY).getReason()).isEqualTo("PostgresStarting"));
        assertThat(OPERATOR.secretValue(ns, "kept-postgres-admin", "password")).as("adopted, not regenerated").isEqualTo(password);
        assertThat(TestSupport.passwordMatches(superuser, OPERATOR.secretValue(ns, "kept-postgres-admin", "password")))
                .as("the adopted Secret logs in to the kept server").isTrue();
        var env = client.apps().statefulSets().inNamespace(ns).withName("kept-postgres").get().getSpec().getTemplate()
                .getSpec().getContainers().getFirst().getEnv();
        assertThat(env).filteredOn(e -> e.getName().equals("POSTGRES_PASSWORD")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("kept-postgres-admin"));
    }

    @Test
    void deletionWithTheAdminSecretGoneFinishesWithinTheBoundAndSaysWhy() throws Exception {
        String ns = namespace("orphan");
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True"));
        // namespace deletion removes the admin Secret before the finalizer runs
        client.secrets().inNamespace(ns).withName("pg-admin").delete();
        await().atMost(WAIT).until(() -> client.secrets().inNamespace(ns).withName("pg-admin").get() == null);

        long start = System.nanoTime();
        client.resources(Storefront.class).inNamespace(ns).withName("shop").delete();
        await().atMost(CLEANUP_TIMEOUT.plus(WAIT)).pollInterval(Duration.ofMillis(200))
                .until(() -> OPERATOR.get(ns, "shop") == null);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("[data-safety] deletion with the admin Secret gone took " + took.toMillis() + " ms (bound "
                + CLEANUP_TIMEOUT + ")");
        assertThat(took).isLessThan(CLEANUP_TIMEOUT.plus(Duration.ofSeconds(15)));
        assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Warning CleanupFailed").contains("pg-admin"))
                .anySatisfy(e -> assertThat(e).startsWith("Warning CleanupAbandoned").contains(RUN + "_orphan_shop_cart"));
        assertThat(TestSupport.databasesLike(RUN + "_orphan_shop_")).as("left, and named in the Event")
                .hasSize(ShopService.backends().size());
    }

    @Test
    void theSkipCleanupAnnotationLetsADeletionFinishWithoutTouchingTheDatabases() throws Exception {
        String ns = namespace("skip");
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        sf.getMetadata().setAnnotations(Map.of(Storefront.SKIP_CLEANUP_ANNOTATION, "true"));
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True"));
        client.resources(Storefront.class).inNamespace(ns).withName("shop").delete();
        await().atMost(WAIT).until(() -> OPERATOR.get(ns, "shop") == null);
        assertThat(TestSupport.databasesLike(RUN + "_skip_shop_")).hasSize(ShopService.backends().size());
        assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Normal CleanupSkipped"));
    }

    @Test
    void aChangedSecretRollsThePodsAndALostDatabaseSecretReKeysTheRole() throws Exception {
        String ns = namespace("secrets");
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        OPERATOR.secret(ns, "stripe", Map.of("secret-key", "sk_test_1", "webhook-secret", "whsec_1"));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().payment.provider = StorefrontSpec.PaymentProvider.stripe;
        sf.getSpec().payment.secretRef = new StorefrontSpec.StripeSecret();
        sf.getSpec().payment.secretRef.name = "stripe";
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
            assertThat(secretHash(ns, "shop-payment")).isNotNull();
            assertThat(secretHash(ns, "shop-cart")).isNotNull();
        });
        String paymentHash = secretHash(ns, "shop-payment");
        String cartHash = secretHash(ns, "shop-cart");

        // the user's Secret is watched: its change alone reconciles the Storefront that names it
        OPERATOR.editSecret(ns, "stripe", "secret-key", "sk_test_2");
        await().atMost(WAIT).untilAsserted(() -> assertThat(secretHash(ns, "shop-payment")).isNotEqualTo(paymentHash));
        assertThat(secretHash(ns, "shop-cart")).as("cart does not read the Stripe Secret").isEqualTo(cartHash);

        // a generated database Secret lost: a new password, the role re-keyed to it, the pods rolled
        String role = RUN + "_secrets_shop_cart";
        String oldPassword = OPERATOR.secretValue(ns, "shop-db-cart", "password");
        assertThat(TestSupport.passwordMatches(role, oldPassword)).isTrue();
        client.secrets().inNamespace(ns).withName("shop-db-cart").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            Secret recreated = client.secrets().inNamespace(ns).withName("shop-db-cart").get();
            assertThat(recreated).isNotNull();
            String password = OPERATOR.secretValue(ns, "shop-db-cart", "password");
            assertThat(password).isNotEqualTo(oldPassword);
            assertThat(TestSupport.passwordMatches(role, password)).as("the role has the new Secret's password").isTrue();
            assertThat(secretHash(ns, "shop-cart")).isNotEqualTo(cartHash);
        });
    }

    @Test
    void aChangeToASecretTheStorefrontNamesReconcilesItAtOnceAndOtherSecretsTriggerNothing() throws Exception {
        String ns = namespace("watch");
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        OPERATOR.secret(ns, "smtp", Map.of("username", "mailer", "password", "pw-1"));
        OPERATOR.secret(ns, "unrelated", Map.of("token", "a"));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().messaging.mode = StorefrontSpec.MessagingMode.External;
        sf.getSpec().messaging.external = new StorefrontSpec.ExternalNats();
        sf.getSpec().messaging.external.url = "nats://nats.example.com:4222";
        sf.getSpec().mail.host = "smtp.example.com";
        sf.getSpec().mail.secretRef = new StorefrontSpec.SecretKeys("smtp");
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
                .hasSize(ShopService.values().length)
                .noneMatch(dev.storefront.operator.dependent.DeploymentsDependent::waitingForDatabase));
        // every pod ready: the shop turns Ready and nothing is rescheduled, so any later reconcile is an event's
        client.apps().deployments().inNamespace(ns).list().getItems().forEach(OPERATOR::markReady);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.READY).getStatus()).isEqualTo("True"));
        int[] last = {-1};
        await().pollInterval(Duration.ofMillis(250)).during(Duration.ofSeconds(2)).atMost(WAIT).until(() -> {
            int now = OPERATOR.reconciles(ns, "shop");
            boolean settled = now == last[0];
            last[0] = now;
            return settled;
        });
        int settled = OPERATOR.reconciles(ns, "shop");
        String notifyHash = secretHash(ns, "shop-notify");
        String cartHash = secretHash(ns, "shop-cart");

        OPERATOR.editSecret(ns, "unrelated", "token", "b");
        OPERATOR.secret(ns, "another-app", Map.of("password", "x"));
        await().pollInterval(Duration.ofMillis(100)).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> OPERATOR.reconciles(ns, "shop") == settled);

        long start = System.nanoTime();
        OPERATOR.editSecret(ns, "smtp", "password", "pw-2");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !notifyHash.equals(secretHash(ns, "shop-notify")));
        System.out.println("[data-safety] SMTP Secret edited -> notify's pod template hash changed in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        assertThat(OPERATOR.reconciles(ns, "shop")).isGreaterThan(settled);
        // the user's Secret is only watched: the reconcile that followed its change left it as the user wrote it
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> "pw-2".equals(OPERATOR.secretValue(ns, "smtp", "password")));
        assertThat(secretHash(ns, "shop-cart")).as("cart does not read the SMTP Secret").isEqualTo(cartHash);
    }

    @Test
    void serviceDeploymentsWaitAtZeroReplicasForTheirDatabaseAndTheStatusSaysSo() throws Exception {
        String ns = namespace("order");
        OPERATOR.create(ns, externalStorefront(ns, "shop", "pg-admin"));
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, "shop");
            Condition services = condition(current, Conditions.SERVICES_READY);
            assertThat(services.getReason()).isEqualTo("WaitingForDatabase");
            assertThat(services.getMessage()).contains("shop-cart", "AdminSecretNotFound", "pg-admin");
            assertThat(condition(current, Conditions.STALLED).getStatus()).isEqualTo("True");
            assertThat(condition(current, Conditions.STALLED).getReason()).isEqualTo("AdminSecretNotFound");
            assertThat(condition(current, Conditions.RECONCILING).getStatus()).isEqualTo("False");
            assertThat(condition(current, Conditions.STALLED).getObservedGeneration())
                    .isEqualTo(current.getMetadata().getGeneration());
            assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(ShopService.values().length);
        });
        assertThat(client.apps().deployments().inNamespace(ns).withName("shop-cart").get().getSpec().getReplicas()).isZero();
        assertThat(client.apps().deployments().inNamespace(ns).withName("shop-web").get().getSpec().getReplicas())
                .as("web has no database").isEqualTo(1);
        assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Warning AdminSecretNotFound"));

        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, "shop");
            assertThat(condition(current, Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
            assertThat(condition(current, Conditions.STALLED).getStatus()).isEqualTo("False");
            assertThat(condition(current, Conditions.RECONCILING).getStatus()).as("pods still to start").isEqualTo("True");
            var cart = client.apps().deployments().inNamespace(ns).withName("shop-cart").get();
            assertThat(cart.getSpec().getReplicas()).isEqualTo(1);
            assertThat(dev.storefront.operator.dependent.DeploymentsDependent.waitingForDatabase(cart)).isFalse();
        });
    }

    @Test
    void thePauseAnnotationTakesEffectAtOnceAndEveryStateChangeIsAnEvent() throws Exception {
        String ns = namespace("pause");
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        sf.getMetadata().setNamespace(ns);
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("False"));
        long start = System.nanoTime();
        client.resources(Storefront.class).inNamespace(ns).withName("shop").edit(s -> {
            s.getMetadata().setAnnotations(new HashMap<>(Map.of(Storefront.PAUSED_ANNOTATION, "true")));
            return s;
        });
        // well inside the 15 s recheck of a shop still starting: the annotation itself started the reconcile
        await().atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "shop"), Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("True"));
        System.out.println("[data-safety] pause annotation -> ReconciliationPaused=True in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
        assertThat(OPERATOR.events(ns)).anySatisfy(e -> assertThat(e).startsWith("Normal Paused"))
                .anySatisfy(e -> assertThat(e).startsWith("Normal PostgresStarting"));
        // deduplicated: the same state reported again is not another Event
        var count = OPERATOR.events(ns).size();
        client.resources(Storefront.class).inNamespace(ns).withName("shop").edit(s -> {
            s.getMetadata().getAnnotations().put("example.com/touched", "1");
            return s;
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> OPERATOR.events(ns).size() == count);
    }

    // ---- helpers

    private static String secretHash(String ns, String deployment) {
        return OPERATOR.podAnnotation(ns, deployment, StorefrontNames.SECRET_HASH_ANNOTATION);
    }


    static Storefront externalStorefront(String ns, String name, String adminSecret) {
        var sf = new Storefront();
        sf.getMetadata().setName(name);
        sf.getMetadata().setNamespace(ns);
        var db = sf.getSpec().database;
        db.mode = StorefrontSpec.DatabaseMode.External;
        db.external = new StorefrontSpec.ExternalDatabase();
        db.external.host = TestSupport.PG_HOST;
        db.external.sslMode = "disable";
        db.external.adminSecretRef = new StorefrontSpec.SecretKeys(adminSecret);
        return sf;
    }

    /** A namespace of this run: its name starts with the run's prefix, so do the database names made from it. */
    private static String namespace(String suffix) {
        return OPERATOR.namespace(RUN.replace('_', '-') + "-" + suffix);
    }






}
