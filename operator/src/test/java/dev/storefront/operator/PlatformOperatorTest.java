package dev.storefront.operator;

import dev.storefront.operator.dependent.CnpgCluster;
import dev.storefront.operator.dependent.GenericChildren;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @RegisterExtension
    static final OperatorFixture OPERATOR = OperatorFixture.withAgent(OPERATOR_AGENT);
    private static KubernetesClient client;

    @BeforeAll
    static void client() {
        client = OPERATOR.client();
    }


    @Test
    @Order(1)
    void cloudNativePgClusterKeepsAUsersStanzasAndGetsDatabasesManagedRolesAndAScheduledBackup() {
        String ns = OPERATOR.namespace("cnpg");
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
        String orderRole = StorefrontNames.database(sf, ShopService.ORDER); // <namespace>_<name>_order
        assertThat(roles).anySatisfy(role -> {
            assertThat(role).containsEntry("name", orderRole).containsEntry("login", true).containsEntry("ensure", "present")
                    .containsEntry("passwordSecret", Map.of("name", "shop-db-order"));
        });
        Map<String, Object> orderDb = spec(get(ns, CnpgCluster.DATABASE_GVK, "shop-db-order"));
        assertThat(orderDb).containsEntry("name", orderRole).containsEntry("owner", orderRole)
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
        OPERATOR.edit(ns, "shop", s -> {
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
        OPERATOR.edit(ns, "shop", s -> s.getSpec().demoData = true);
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() ->
                assertThat(spec(get(ns, CnpgCluster.GVK, "shop-db"))).containsEntry("backup", userBackup));

        // no backup in the spec: the ScheduledBackup goes, the Cluster stays
        OPERATOR.edit(ns, "shop", s -> s.getSpec().database.backup = null);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(ns, CnpgCluster.SCHEDULED_BACKUP_GVK, "shop-db-backup")).isNull());
        assertThat(spec(get(ns, CnpgCluster.GVK, "shop-db"))).containsEntry("backup", userBackup);
    }

    @Test
    @Order(2)
    void messagingReplicasThreeMakesAJetStreamClusterWithAUserPerService() throws Exception {
        String ns = OPERATOR.namespace("nats");
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        sf.getMetadata().setNamespace(ns);
        sf.getSpec().messaging.replicas = 3;
        client.resource(sf).create();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("shop-nats").get()).isNotNull();
            assertThat(client.apps().deployments().inNamespace(ns).withName("shop-order").get()).isNotNull();
            assertThat(client.secrets().inNamespace(ns).withName("shop-nats-config").get()).isNotNull();
        });
        StatefulSet nats = client.apps().statefulSets().inNamespace(ns).withName("shop-nats").get();
        assertThat(nats.getSpec().getReplicas()).isEqualTo(3);
        assertThat(nats.getSpec().getServiceName()).isEqualTo("shop-nats-cluster");
        assertThat(nats.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        var container = nats.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getArgs()).containsExactly("--config", "/etc/nats/nats.conf");
        assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
                .contains("client:4222", "cluster:6222", "monitor:8222");
        assertThat(nats.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("shop-nats-config"));
        var headless = client.services().inNamespace(ns).withName("shop-nats-cluster").get();
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();

        String conf = OPERATOR.secretValue(ns, "shop-nats-config", "nats.conf");
        for (ShopService service : ShopService.backends()) {
            assertThat(OPERATOR.secretValue(ns, "shop-nats-" + service.id(), "username")).isEqualTo(service.id());
            String password = OPERATOR.secretValue(ns, "shop-nats-" + service.id(), "password");
            assertThat(password).hasSize(32);
            assertThat(conf).contains("{ user: \"" + service.id() + "\", password: \"" + password + "\" }");
        }
        assertThat(conf).doesNotContain("user: \"web\"").contains("server_name: $POD_NAME")
                .contains("nats-route://route:" + OPERATOR.secretValue(ns, "shop-nats-config", "route-password")
                        + "@shop-nats-2.shop-nats-cluster.nats.svc:6222");
        assertNatsServerAccepts(conf);

        Deployment order = client.apps().deployments().inNamespace(ns).withName("shop-order").get();
        var env = order.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv();
        assertThat(env).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NATS_USER");
            assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-nats-order");
        }).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("NATS_PASSWORD");
            assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
        assertThat(client.configMaps().inNamespace(ns).withName("shop-order-config").get().getData())
                .containsEntry("STOREFRONT_EVENTS_REPLICAS", "3").containsEntry("NATS_URL", "nats://shop-nats:4222");
        Deployment web = client.apps().deployments().inNamespace(ns).withName("shop-web").get();
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .noneMatch(e -> e.getName().startsWith("NATS"));

        // a lost login is generated again; the servers' configuration follows and their pods roll
        String hash = nats.getSpec().getTemplate().getMetadata().getAnnotations().get("storefront.dev/config-hash");
        String oldPassword = OPERATOR.secretValue(ns, "shop-nats-cart", "password");
        client.secrets().inNamespace(ns).withName("shop-nats-cart").delete();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            String password = OPERATOR.secretValue(ns, "shop-nats-cart", "password");
            assertThat(password).isNotEqualTo(oldPassword);
            assertThat(OPERATOR.secretValue(ns, "shop-nats-config", "nats.conf")).contains(password).doesNotContain(oldPassword);
            assertThat(client.apps().statefulSets().inNamespace(ns).withName("shop-nats").get().getSpec().getTemplate()
                    .getMetadata().getAnnotations().get("storefront.dev/config-hash")).isNotEqualTo(hash);
        });
    }

    @Test
    @Order(3)
    void networkPoliciesLetOnlyDatabaseAndMessagingUsersOutToThemAndTheMonitoringNamespaceIn() {
        String ns = OPERATOR.namespace("netpol");
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        sf.getMetadata().setNamespace(ns);
        sf.getSpec().monitoring.namespace = "monitoring";
        client.resource(sf).create();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.network().v1().networkPolicies().inNamespace(ns).list().getItems()).hasSize(6);
            assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(ShopService.values().length);
        });
        var policies = client.network().v1().networkPolicies().inNamespace(ns).list().getItems();
        for (var policy : policies) {
            assertThat(policy.getSpec().getPolicyTypes()).as(policy.getMetadata().getName()).contains("Egress");
        }
        Map<String, String> web = podLabels(ns, "shop-web");
        Map<String, String> order = podLabels(ns, "shop-order");
        Map<String, String> postgres = Map.of("app.kubernetes.io/instance", "shop", "app.kubernetes.io/component", "postgres");
        Map<String, String> nats = Map.of("app.kubernetes.io/instance", "shop", "app.kubernetes.io/component", "nats");

        assertThat(egressTo(policies, web, postgres, 5432)).as("web to PostgreSQL").isFalse();
        assertThat(egressTo(policies, web, nats, 4222)).as("web to NATS").isFalse();
        assertThat(egressTo(policies, order, postgres, 5432)).as("order to PostgreSQL").isTrue();
        assertThat(egressTo(policies, order, nats, 4222)).as("order to NATS").isTrue();
        assertThat(egressTo(policies, order, podLabels(ns, "shop-auth"), 8080)).as("order to auth").isTrue();
        // catalog fetches price feeds: http(s) to public addresses only; no other service goes out on 443
        var feeds = client.network().v1().networkPolicies().inNamespace(ns).withName("shop-price-feeds").get();
        assertThat(selects(feeds.getSpec().getPodSelector(), podLabels(ns, "shop-catalog"))).isTrue();
        assertThat(selects(feeds.getSpec().getPodSelector(), order)).isFalse();
        var feedRule = feeds.getSpec().getEgress().getFirst();
        assertThat(feedRule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactlyInAnyOrder(80, 443);
        assertThat(feedRule.getTo()).extracting(peer -> peer.getIpBlock().getCidr()).containsExactly("0.0.0.0/0", "::/0");
        assertThat(feedRule.getTo().getFirst().getIpBlock().getExcept()).contains("10.0.0.0/8", "169.254.0.0/16", "127.0.0.0/8");
        assertThat(egressTo(policies, order, postgres, 443)).as("order to anything on 443").isFalse();
        for (var pod : List.of(web, order, postgres, nats)) {
            assertThat(policies).filteredOn(p -> selects(p.getSpec().getPodSelector(), pod))
                    .flatExtracting(p -> p.getSpec().getEgress())
                    .anySatisfy(rule -> {
                        assertThat(rule.getTo()).isNullOrEmpty();
                        assertThat(rule.getPorts()).extracting(p -> p.getProtocol() + ":" + p.getPort().getIntVal())
                                .containsExactlyInAnyOrder("UDP:53", "TCP:53");
                    });
        }
        // in: web and order take metrics scrapes from the monitoring namespace, NATS its monitor port
        for (var pod : List.of(web, order)) {
            assertThat(ingressFromNamespace(policies, pod, "monitoring", 8080)).isTrue();
        }
        assertThat(ingressFromNamespace(policies, nats, "monitoring", 8222)).isTrue();
        assertThat(ingressFromNamespace(policies, postgres, "monitoring", 5432)).isFalse();
        var postgresPolicy = client.network().v1().networkPolicies().inNamespace(ns).withName("shop-postgres").get();
        assertThat(postgresPolicy.getSpec().getIngress()).noneMatch(rule -> rule.getFrom().stream()
                .anyMatch(peer -> peer.getPodSelector() != null && selects(peer.getPodSelector(), web)));
        assertThat(postgresPolicy.getSpec().getIngress()).anyMatch(rule -> rule.getFrom().stream()
                .anyMatch(peer -> peer.getPodSelector() != null && selects(peer.getPodSelector(), order)));

        // CloudNativePG: the database clients go out to the Cluster's pods
        var cnpg = client.network().v1().networkPolicies().inNamespace("cnpg").withName("shop-database-clients").get();
        assertThat(cnpg.getSpec().getEgress().getFirst().getTo().getFirst().getPodSelector().getMatchLabels())
                .containsEntry("cnpg.io/cluster", "shop-db");
    }

    /** Whether some policy selecting the source allows egress to a pod with the target's labels on that port. */
    private static boolean egressTo(List<NetworkPolicy> policies, Map<String, String> source, Map<String, String> target, int port) {
        return policies.stream().filter(p -> selects(p.getSpec().getPodSelector(), source))
                .flatMap(p -> p.getSpec().getEgress().stream())
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
                .anyMatch(rule -> rule.getTo() == null || rule.getTo().isEmpty() || rule.getTo().stream()
                        .anyMatch(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null
                                && selects(peer.getPodSelector(), target)));
    }

    private static boolean ingressFromNamespace(List<NetworkPolicy> policies, Map<String, String> pod, String namespace, int port) {
        return policies.stream().filter(p -> selects(p.getSpec().getPodSelector(), pod))
                .flatMap(p -> p.getSpec().getIngress().stream())
                .filter(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port))
                .anyMatch(rule -> rule.getFrom().stream().anyMatch(peer -> peer.getNamespaceSelector() != null
                        && namespace.equals(peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))));
    }

    /** The API server's label selector semantics, for matchLabels and In (all the operator uses). */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        boolean labelsMatch = selector.getMatchLabels() == null || selector.getMatchLabels().entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        boolean expressionsMatch = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream()
                .allMatch(e -> {
                    assertThat(e.getOperator()).isEqualTo("In");
                    return e.getValues().contains(labels.get(e.getKey()));
                });
        return labelsMatch && expressionsMatch;
    }

    private static Map<String, String> podLabels(String ns, String deployment) {
        return client.apps().deployments().inNamespace(ns).withName(deployment).get().getSpec().getTemplate()
                .getMetadata().getLabels();
    }

    /** nats-server's own configuration check (-t), where the binary is installed (Debian's nats-server here). */
    private static void assertNatsServerAccepts(String conf) throws Exception {
        var binary = java.nio.file.Path.of("/usr/sbin/nats-server");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(binary), "nats-server is not installed");
        var file = Files.createTempFile("nats", ".conf");
        Files.writeString(file, conf.replace("\"/data\"", "\"" + Files.createTempDirectory("nats-data") + "\""));
        var process = new ProcessBuilder(binary.toString(), "-c", file.toString(), "-t").redirectErrorStream(true);
        process.environment().put("POD_NAME", "shop-nats-0");
        Process run = process.start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(output).isZero();
    }


    @Test
    @Order(4)
    void messagingReplicasIsOneThreeOrFiveAndFixedAndABackupNeedsCloudNativePg() throws Exception {
        var crd = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(TestSupport.generatedCrd().toFile());
        var replicas = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/messaging/properties/replicas");
        assertThat(replicas.path("x-kubernetes-validations").findValuesAsText("rule"))
                .containsExactlyInAnyOrder("self == 1 || self == 3 || self == 5", "self == oldSelf");
        var schedule = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/database/properties/backup/properties/schedule/pattern").asText();
        assertThat("0 0 2 * * *").matches(schedule);
        assertThat("@daily").matches(schedule);
        assertThat("0 2 * * *").as("five fields: CloudNativePG wants seconds first").doesNotMatch(schedule);

        // what an API server without CEL let through, the operator reports
        var sf = new Storefront();
        sf.getMetadata().setName("x");
        sf.getSpec().messaging.replicas = 2;
        sf.getSpec().database.backup = new StorefrontSpec.Backup();
        sf.getSpec().database.backup.schedule = "@daily";
        assertThat(StorefrontReconciler.specProblems(sf)).anySatisfy(p -> assertThat(p).contains("messaging.replicas must be 1, 3 or 5"))
                .anySatisfy(p -> assertThat(p).contains("database.backup needs database.mode CloudNativePG"));
    }

    @Test
    @Order(100)
    void everyApiCallTheOperatorMadeIsGrantedByTheChartsClusterRole() throws Exception {
        var used = OPERATOR.permissionsUsed();
        assertThat(used).extracting(OperatorPermissions.Permission::toString).contains("postgresql.cnpg.io/clusters:patch",
                "postgresql.cnpg.io/databases:create", "postgresql.cnpg.io/scheduledbackups:delete");
        assertThat(HelmChartTest.renderedClusterRolePermissions()).containsAll(used);
    }

    private static Map<?, ?> withoutNulls(Object map) {
        var copy = new HashMap<Object, Object>((Map<?, ?>) map);
        copy.values().removeIf(java.util.Objects::isNull);
        return copy;
    }


    private static GenericKubernetesResource get(String ns, GroupVersionKindPlural gvk, String name) {
        return client.genericKubernetesResources(GenericChildren.definition(gvk)).inNamespace(ns).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

}
