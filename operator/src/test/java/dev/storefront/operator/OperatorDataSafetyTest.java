package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's care for data (issue 16): names and ownership marks on a shared server, Retain, deletion that never
 * hangs, Secrets that roll pods, start order, kstatus conditions and Events. The real JOSDK Operator against
 * fabric8's mock API server, databases on the real local PostgreSQL under names of this run only.
 */
class OperatorDataSafetyTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The cleanup bound for this test's operator (the default is 10 minutes). */
    static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(4);

    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static Operator operator;
    /** This run's namespaces start with it, so do the default database names made from them. */
    private static final String RUN = TestSupport.uniquePrefix();

    @BeforeAll
    static void startOperator() throws Exception {
        System.setProperty(OperatorSettings.CLEANUP_TIMEOUT_PROPERTY, CLEANUP_TIMEOUT.toString());
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        try (var crd = Files.newInputStream(TestSupport.generatedCrd())) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        var settings = new OperatorSettings(Set.of(), "storefront-system", 0, false, "unused");
        operator = Main.createOperator(server.createClient(), settings, overrider -> overrider
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(true));
        operator.start();
    }

    @AfterAll
    static void stopOperator() throws Exception {
        System.clearProperty(OperatorSettings.CLEANUP_TIMEOUT_PROPERTY);
        if (operator != null) {
            operator.stop();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
        TestSupport.dropAll(RUN);
    }

    @Test
    void sameNamedStorefrontsInTwoNamespacesShareNoRoleAndDeletingOneLeavesTheOthersDatabases() throws Exception {
        String east = namespace("east");
        String west = namespace("west");
        for (String ns : List.of(east, west)) {
            secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
            Storefront sf = externalStorefront(ns, "shop", "pg-admin");
            sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
            create(sf);
        }
        String eastPrefix = RUN + "_east_shop";
        String westPrefix = RUN + "_west_shop";
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition(get(east, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
            assertThat(condition(get(west, "shop"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
        });
        assertThat(TestSupport.rolesLike(eastPrefix + "_")).hasSize(ShopService.backends().size());
        assertThat(TestSupport.rolesLike(westPrefix + "_")).hasSize(ShopService.backends().size());
        assertThat(secretValue(east, "shop-db-cart", "username")).isEqualTo(eastPrefix + "_cart");
        assertThat(secretValue(west, "shop-db-cart", "username")).isEqualTo(westPrefix + "_cart");
        // each role has its own Secret's password
        assertThat(TestSupport.passwordMatches(eastPrefix + "_cart", secretValue(east, "shop-db-cart", "password"))).isTrue();
        assertThat(TestSupport.passwordMatches(westPrefix + "_cart", secretValue(west, "shop-db-cart", "password"))).isTrue();

        client.resources(Storefront.class).inNamespace(east).withName("shop").delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(east, "shop")).isNull();
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
        secret(ns, "pg-admin", Map.of("username", "postgres", "password", ""));
        Storefront sf = externalStorefront(ns, "shop", "pg-admin");
        sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        create(sf);
        await().atMost(WAIT).untilAsserted(() -> {
            Condition database = condition(get(ns, "shop"), Conditions.DATABASE_READY);
            assertThat(database.getReason()).isEqualTo("NotOwned");
            assertThat(database.getMessage()).contains(taken, "without the storefront.dev ownership mark");
            assertThat(events(ns)).anySatisfy(e -> assertThat(e).startsWith("Warning NotOwned").contains(taken));
        });
        assertThat(TestSupport.passwordMatches(taken, "TheirOwn1")).as("its password was not touched").isTrue();

        client.resources(Storefront.class).inNamespace(ns).withName("shop").delete();
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(ns, "shop")).isNull());
        assertThat(TestSupport.databasesLike(RUN + "_foreign_shop_")).containsExactly(taken);
    }

    // ---- helpers

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
        String name = RUN.replace('_', '-') + "-" + suffix;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static Storefront create(Storefront sf) {
        return client.resource(sf).create();
    }

    private static Storefront get(String ns, String name) {
        return client.resources(Storefront.class).inNamespace(ns).withName(name).get();
    }

    private static Condition condition(Storefront sf, String type) {
        assertThat(sf).isNotNull();
        assertThat(sf.getStatus()).isNotNull();
        Condition condition = Conditions.find(sf.getStatus().conditions, type);
        assertThat(condition).as("condition " + type).isNotNull();
        return condition;
    }

    /** "type reason message" of each Event in the namespace. */
    private static List<String> events(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage()).toList();
    }

    private static void secret(String ns, String name, Map<String, String> values) {
        var data = values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> Base64.getEncoder().encodeToString(e.getValue().getBytes())));
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withData(data).build()).create();
    }

    private static String secretValue(String ns, String name, String key) {
        Secret secret = client.secrets().inNamespace(ns).withName(name).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)));
    }
}
