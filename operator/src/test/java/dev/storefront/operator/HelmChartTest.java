package dev.storefront.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart, through helm-java (Helm's own Go code): lint, render with default and custom values, RBAC. */
class HelmChartTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    static Path chart() {
        return TestSupport.repoRoot().resolve("charts/storefront-operator");
    }

    static List<HasMetadata> render(Map<String, Object> values) {
        var template = new Helm(chart()).template().withName("storefront-operator").withNamespace("storefront-system")
                .withKubeVersion("1.31.0");
        values.forEach(template::set);
        String yaml = template.call();
        var resources = new ArrayList<HasMetadata>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (!document.isBlank() && document.contains("kind:")) {
                resources.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
            }
        }
        return resources;
    }

    static Set<OperatorPermissions.Permission> renderedClusterRolePermissions() {
        ClusterRole role = only(render(Map.of()), ClusterRole.class);
        return OperatorPermissions.granted(role.getRules());
    }

    @Test
    void lintsCleanInStrictMode() {
        var result = new Helm(chart()).lint().strict().call();
        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderAnOperatorWatchingAllNamespacesWithLeaderElection() {
        List<HasMetadata> resources = render(Map.of());
        assertThat(resources).extracting(HasMetadata::getKind).contains("ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service");
        assertThat(resources).filteredOn(r -> r instanceof RoleBinding)
                .allSatisfy(r -> assertThat(r.getMetadata().getName()).endsWith("-leader-election"));
        ClusterRoleBinding binding = only(resources, ClusterRoleBinding.class);
        assertThat(binding.getSubjects().getFirst().getNamespace()).isEqualTo("storefront-system");

        Deployment deployment = only(resources, Deployment.class);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("ghcr.io/storefront-dev/storefront-operator:0.1.0");
        assertThat(env(deployment)).containsEntry("WATCH_NAMESPACES", "").containsEntry("LEADER_ELECTION", "true");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();

        Role leases = only(resources, Role.class);
        assertThat(OperatorPermissions.granted(leases.getRules())).extracting(OperatorPermissions.Permission::toString)
                .containsExactlyInAnyOrder("coordination.k8s.io/leases:get", "coordination.k8s.io/leases:create",
                        "coordination.k8s.io/leases:update");
    }

    @Test
    void customValuesBindOnlyTheWatchedNamespacesAndSetTheImage() {
        List<HasMetadata> resources = render(Map.of(
                "watchNamespaces[0]", "shop",
                "watchNamespaces[1]", "staging",
                "image.repository", "registry.example.com/sf/operator",
                "image.tag", "1.2.3",
                "replicaCount", "2",
                "leaderElection", "false",
                "resources.limits.memory", "1Gi"));
        assertThat(resources).noneMatch(r -> r instanceof ClusterRoleBinding);
        assertThat(resources).noneMatch(r -> r instanceof Role);
        assertThat(resources).filteredOn(r -> r instanceof RoleBinding).extracting(r -> r.getMetadata().getNamespace())
                .containsExactlyInAnyOrder("shop", "staging");
        Deployment deployment = only(resources, Deployment.class);
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("registry.example.com/sf/operator:1.2.3");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(env(deployment)).containsEntry("WATCH_NAMESPACES", "shop,staging").containsEntry("LEADER_ELECTION", "false");
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorsCodeTouches() {
        assertThat(renderedClusterRolePermissions()).isEqualTo(OperatorPermissions.required());
    }

    @Test
    void theCrdIsATemplateRenderedFromTheGeneratedOneAndKeptOnUninstall() throws Exception {
        assertThat(chart().resolve("crds")).as("Helm never upgrades crds/").doesNotExist();
        var shipped = SERIALIZATION.unmarshal(java.nio.file.Files.readString(TestSupport.generatedCrd()),
                CustomResourceDefinition.class);
        CustomResourceDefinition rendered = only(render(Map.of()), CustomResourceDefinition.class);
        assertThat(rendered.getMetadata().getName()).isEqualTo("storefronts.storefront.dev");
        assertThat(rendered.getMetadata().getAnnotations()).containsEntry("helm.sh/resource-policy", "keep");
        assertThat(rendered.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "Helm");
        // the template re-serialises the YAML: the schema must survive it unchanged. toYaml prints 1.0 as 1, which
        // the API server reads as the same JSON number, so numbers are compared by value and everything else exactly.
        assertThat(byValue(rendered.getSpec())).isEqualTo(byValue(shipped.getSpec()));
        assertThat(rendered.getSpec().getNames().getShortNames()).containsExactly("sf");

        assertThat(render(Map.of("crds.install", "false"))).noneMatch(r -> r instanceof CustomResourceDefinition);
    }

    /** The JSON tree with every number written in one canonical form (1, 1.0 and 1.00 all become 1). */
    private static String byValue(Object value) throws Exception {
        JsonNode tree = MAPPER.readTree(SERIALIZATION.asJson(value));
        return MAPPER.writeValueAsString(canonicalNumbers(tree));
    }

    private static JsonNode canonicalNumbers(JsonNode node) {
        if (node.isNumber()) {
            return DecimalNode.valueOf(node.decimalValue().stripTrailingZeros());
        }
        if (node instanceof ObjectNode object) {
            object.properties().forEach(entry -> entry.setValue(canonicalNumbers(entry.getValue())));
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, canonicalNumbers(array.get(i)));
            }
        }
        return node;
    }

    @Test
    void theSchemaRejectsBadValuesNamingThem() {
        var bad = List.of(
                Map.<String, Object>of("replicaCount", "0"),
                Map.<String, Object>of("image.pullPolicy", "Sometimes"),
                Map.<String, Object>of("watchNamespaces[0]", "Not_A_Namespace"),
                Map.<String, Object>of("httpPort", "80"),
                Map.<String, Object>of("leaderElection", "maybe"),
                Map.<String, Object>of("resources.limits.memory", "lots"),
                Map.<String, Object>of("monitoring.prometheusRule.checkoutErrorRatio", "2"),
                Map.<String, Object>of("monitoring.podMonitor.interval", "soon"),
                Map.<String, Object>of("replicaCout", "2"));
        for (var values : bad) {
            String key = values.keySet().iterator().next().replaceAll("\\[0]$", "");
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            assertThatThrownBy(() -> render(values)).as(values.toString())
                    .hasMessageContaining("values don't meet the specifications of the schema")
                    .hasMessageContaining(leaf);
        }
    }

    @Test
    void monitorsAndAlertsRenderWhenEnabledAndNotByDefault() {
        assertThat(render(Map.of())).extracting(HasMetadata::getKind)
                .doesNotContain("ServiceMonitor", "PodMonitor", "PrometheusRule");
        List<HasMetadata> resources = render(Map.of(
                "monitoring.serviceMonitor.enabled", "true",
                "monitoring.podMonitor.enabled", "true",
                "monitoring.podMonitor.namespaces[0]", "shop",
                "monitoring.prometheusRule.enabled", "true",
                "monitoring.prometheusRule.labels.release", "kube-prometheus-stack"));
        var byKind = resources.stream().collect(Collectors.toMap(HasMetadata::getKind, r -> r, (a, b) -> a));
        assertThat(byKind).containsKeys("ServiceMonitor", "PodMonitor", "PrometheusRule");

        var serviceMonitor = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) byKind.get("ServiceMonitor");
        assertThat(serviceMonitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(SERIALIZATION.asJson(serviceMonitor.getAdditionalProperties().get("spec")))
                .contains("\"port\":\"http\"").contains("\"path\":\"/metrics\"");
        var podMonitor = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) byKind.get("PodMonitor");
        String podMonitorSpec = SERIALIZATION.asJson(podMonitor.getAdditionalProperties().get("spec"));
        assertThat(podMonitorSpec).contains("\"path\":\"/observe/metrics\"").contains("\"matchNames\":[\"shop\"]")
                .contains("\"storefront.dev/tier\":\"service\"");

        var rule = (io.fabric8.kubernetes.api.model.GenericKubernetesResource) byKind.get("PrometheusRule");
        assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
        @SuppressWarnings("unchecked")
        var groups = (List<Map<String, Object>>) ((Map<String, Object>) rule.getAdditionalProperties().get("spec")).get("groups");
        @SuppressWarnings("unchecked")
        var rules = (List<Map<String, Object>>) groups.getFirst().get("rules");
        var alerts = rules.stream().collect(Collectors.toMap(r -> (String) r.get("alert"), r -> (String) r.get("expr")));
        assertThat(alerts).containsOnlyKeys("StorefrontPodsNotReady", "StorefrontOperatorNotReady",
                "StorefrontCheckoutErrorRate", "StorefrontOutboxBacklog", "StorefrontCheckoutSagasStuck",
                "StorefrontCheckoutSagaRecoveryFailing");
        // the metric names the services export (services/common MetricNamesTest, checkout CheckoutRecoveryTest)
        assertThat(alerts.get("StorefrontCheckoutErrorRate")).contains("storefront_http_requests_seconds_count{route=\"/api/checkout\"")
                .contains("> 0.05");
        assertThat(alerts.get("StorefrontOutboxBacklog")).contains("storefront_outbox_pending").contains("> 100");
        assertThat(alerts.get("StorefrontCheckoutSagasStuck")).contains("storefront_checkout_sagas_recovered_total");
        assertThat(alerts.get("StorefrontCheckoutSagaRecoveryFailing")).contains("storefront_checkout_saga_recoveries_failed_total");
        assertThat(alerts.get("StorefrontOperatorNotReady")).contains("deployment=\"storefront-operator\"");
    }

    @Test
    void theOperatorHasADisruptionBudgetAndResources() {
        List<HasMetadata> resources = render(Map.of("replicaCount", "2"));
        var budget = only(resources, io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class);
        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        Deployment deployment = only(resources, Deployment.class);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        var container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        assertThat(render(Map.of("podDisruptionBudget.enabled", "false")))
                .noneMatch(r -> r instanceof io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget);
    }

    private static Map<String, String> env(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
    }

    @Test
    void theGrafanaDashboardIsAConfigMapForGrafanasSidecarWhenAskedFor() throws Exception {
        assertThat(render(Map.of())).noneMatch(r -> r instanceof io.fabric8.kubernetes.api.model.ConfigMap);
        List<HasMetadata> resources = render(Map.of("dashboards.enabled", "true", "dashboards.namespace", "monitoring"));
        var dashboards = only(resources, io.fabric8.kubernetes.api.model.ConfigMap.class);
        assertThat(dashboards.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        String json = dashboards.getData().get("storefront.json");
        var dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(dashboard.path("uid").asText()).isEqualTo("storefront-services");
        assertThat(dashboard.findValues("expr")).as("its queries").isNotEmpty();
        assertThat(json).as("the file as it is in the chart").isEqualTo(
                java.nio.file.Files.readString(chart().resolve("dashboards/storefront.json")).stripTrailing());
    }

    static <T extends HasMetadata> T only(List<HasMetadata> resources, Class<T> type) {
        var matching = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(matching).as(type.getSimpleName() + " in " + Arrays.toString(resources.stream()
                .map(HasMetadata::getKind).toArray())).hasSize(1);
        return matching.getFirst();
    }
}
