package dev.storefront.operator;

import dev.storefront.operator.dependent.CnpgCluster;
import dev.storefront.operator.dependent.GenericChildren;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform side of a Storefront (CloudNativePG objects, messaging, network policies) with the real JOSDK
 * Operator against fabric8's mock API server in CRUD mode. The mock does not speak server-side apply, so the
 * operator takes its merge-patch path for CloudNativePG objects here; each test uses its own namespace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformOperatorTest {
    private static final String OPERATOR_AGENT = "storefront-operator-platform-test";
    private static final Duration WAIT = Duration.ofSeconds(40);

    private static KubernetesMockServer server;
    private static KubernetesClient client;
    private static Operator operator;

    @BeforeAll
    static void startOperator() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        try (var crd = Files.newInputStream(TestSupport.generatedCrd())) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        var operatorClient = server.createClient(builder -> builder.editOrNewConfig().withUserAgent(OPERATOR_AGENT).endConfig());
        var settings = new OperatorSettings(Set.of(), "storefront-system", 0, false, "unused");
        operator = Main.createOperator(operatorClient, settings, overrider -> overrider
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(true));
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        if (operator != null) {
            operator.stop();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
    }

    @Test
    @Order(1)
    void cloudNativePgClusterKeepsAUsersStanzasAndGetsDatabasesManagedRolesAndAScheduledBackup() {
        String ns = namespace("cnpg");
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        sf.getMetadata().setNamespace(ns);
        sf.getSpec().database.mode = StorefrontSpec.DatabaseMode.CloudNativePG;
        sf.getSpec().database.backup = new StorefrontSpec.Backup();
        sf.getSpec().database.backup.schedule = "0 0 2 * * *";
        sf.getSpec().database.backup.target = StorefrontSpec.BackupTarget.preferStandby;
        client.resource(sf).create();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(get(ns, CnpgCluster.GVK, "shop-db")).isNotNull();
            for (ShopService service : ShopService.backends()) {
                assertThat(get(ns, CnpgCluster.DATABASE_GVK, "shop-db-" + service.id())).isNotNull();
            }
            assertThat(get(ns, CnpgCluster.SCHEDULED_BACKUP_GVK, "shop-db-backup")).isNotNull();
        });
        GenericKubernetesResource cluster = get(ns, CnpgCluster.GVK, "shop-db");
        Map<String, Object> spec = spec(cluster);
        assertThat(spec).doesNotContainKey("enableSuperuserAccess").containsEntry("instances", 1)
                .doesNotContainKey("imageName");
        assertThat(cluster.getMetadata().getOwnerReferences()).as("Retain: the Cluster outlives the Storefront").isEmpty();
        @SuppressWarnings("unchecked")
        var roles = (List<Map<String, Object>>) ((Map<String, Object>) spec.get("managed")).get("roles");
        assertThat(roles).hasSize(ShopService.backends().size());
        assertThat(roles).anySatisfy(role -> {
            assertThat(role).containsEntry("name", "shop_order").containsEntry("login", true).containsEntry("ensure", "present")
                    .containsEntry("passwordSecret", Map.of("name", "shop-db-order"));
        });
        Map<String, Object> orderDb = spec(get(ns, CnpgCluster.DATABASE_GVK, "shop-db-order"));
        assertThat(orderDb).containsEntry("name", "shop_order").containsEntry("owner", "shop_order")
                .containsEntry("cluster", Map.of("name", "shop-db")).containsEntry("databaseReclaimPolicy", "retain");
        Map<String, Object> backup = spec(get(ns, CnpgCluster.SCHEDULED_BACKUP_GVK, "shop-db-backup"));
        assertThat(backup).containsEntry("schedule", "0 0 2 * * *").containsEntry("cluster", Map.of("name", "shop-db"))
                .containsEntry("method", "barmanObjectStore").containsEntry("target", "prefer-standby")
                .containsEntry("backupOwnerReference", "self");
        var login = client.secrets().inNamespace(ns).withName("shop-db-order").get();
        assertThat(login.getType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(login.getMetadata().getLabels()).containsEntry("cnpg.io/reload", "true");

        // a platform team adds its own backup and monitoring to the Cluster; CloudNativePG reports it ready
        var userBackup = Map.<String, Object>of("barmanObjectStore", Map.of("destinationPath", "s3://backups/shop",
                "s3Credentials", Map.of("inheritFromIAMRole", true)), "retentionPolicy", "30d");
        var clusters = client.genericKubernetesResources(GenericChildren.definition(CnpgCluster.GVK)).inNamespace(ns);
        clusters.withName("shop-db").edit(c -> {
            spec(c).put("backup", userBackup);
            spec(c).put("monitoring", Map.of("enablePodMonitor", true));
            c.getAdditionalProperties().put("status", Map.of("readyInstances", 1));
            return c;
        });
        var databases = client.genericKubernetesResources(GenericChildren.definition(CnpgCluster.DATABASE_GVK)).inNamespace(ns);
        for (ShopService service : ShopService.backends()) {
            databases.withName("shop-db-" + service.id()).edit(d -> {
                d.getAdditionalProperties().put("status", Map.of("applied", true));
                return d;
            });
        }
        edit(ns, "shop", s -> {
            s.getSpec().database.cloudNativePG.instances = 3;
            s.getSpec().database.cloudNativePG.storageSize = "5Gi";
            s.getSpec().database.backup.schedule = "@daily";
        });

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, Object> now = spec(get(ns, CnpgCluster.GVK, "shop-db"));
            assertThat(now).containsEntry("instances", 3).containsEntry("backup", userBackup)
                    .containsEntry("monitoring", Map.of("enablePodMonitor", true))
                    .containsKey("storage");
            // a real API server drops the null the merge patch sends for the unset storageClass; the mock keeps it
            assertThat(withoutNulls(now.get("storage"))).isEqualTo(Map.of("size", "5Gi"));
            assertThat(spec(get(ns, CnpgCluster.SCHEDULED_BACKUP_GVK, "shop-db-backup"))).containsEntry("schedule", "@daily");
            Condition ready = Conditions.find(client.resources(Storefront.class).inNamespace(ns).withName("shop").get()
                    .getStatus().conditions, Conditions.DATABASE_READY);
            assertThat(ready.getStatus()).as(ready.getMessage()).isEqualTo("True");
            assertThat(ready.getReason()).isEqualTo("Provisioned");
        });
        // the user's stanza also survives a reconcile that finds nothing of the operator's to change
        edit(ns, "shop", s -> s.getSpec().demoData = true);
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
                assertThat(spec(get(ns, CnpgCluster.GVK, "shop-db"))).containsEntry("backup", userBackup));

        // no backup in the spec: the ScheduledBackup goes, the Cluster stays
        edit(ns, "shop", s -> s.getSpec().database.backup = null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(ns, CnpgCluster.SCHEDULED_BACKUP_GVK, "shop-db-backup")).isNull());
        assertThat(spec(get(ns, CnpgCluster.GVK, "shop-db"))).containsEntry("backup", userBackup);
    }

    @Test
    @Order(100)
    void everyApiCallTheOperatorMadeIsGrantedByTheChartsClusterRole() throws Exception {
        var used = new TreeSet<OperatorPermissions.Permission>();
        int requests = server.getRequestCount();
        for (int i = 0; i < requests; i++) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            if (OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
                var permission = OperatorPermissions.forRequest(request.getMethod(), request.getPath());
                if (permission != null) {
                    used.add(permission);
                }
            }
        }
        assertThat(used).extracting(OperatorPermissions.Permission::toString).contains("postgresql.cnpg.io/clusters:patch",
                "postgresql.cnpg.io/databases:create", "postgresql.cnpg.io/scheduledbackups:delete");
        assertThat(HelmChartTest.renderedClusterRolePermissions()).containsAll(used);
    }

    private static Map<?, ?> withoutNulls(Object map) {
        var copy = new HashMap<Object, Object>((Map<?, ?>) map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }

    private static String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private static GenericKubernetesResource get(String ns, GroupVersionKindPlural gvk, String name) {
        return client.genericKubernetesResources(GenericChildren.definition(gvk)).inNamespace(ns).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    private static void edit(String ns, String name, java.util.function.Consumer<Storefront> change) {
        await().atMost(WAIT).ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
            client.resources(Storefront.class).inNamespace(ns).withName(name).edit(s -> {
                change.accept(s);
                return s;
            });
            return true;
        });
    }
}
