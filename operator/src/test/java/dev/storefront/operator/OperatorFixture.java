package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real JOSDK Operator, as Main builds it, against its own fabric8 mock API server in CRUD mode (server-side apply
 * off: the mock does not speak it), with the generated CRD applied; one per test class:
 * {@code @RegisterExtension static final OperatorFixture OPERATOR = OperatorFixture.withAgent("...")}. The operator's
 * client sends its own User-Agent, so {@link #permissionsUsed()} can tell its API calls from the test's. Reconciles are
 * counted per Storefront ({@link #reconciles}). Databases under the prefixes handed to {@link #dropAfterwards} are
 * dropped when the class ends.
 */
final class OperatorFixture implements BeforeAllCallback, AfterAllCallback {
    /** How long an edit is retried when the operator's status write got there first (409). */
    private static final Duration EDIT_RETRY = Duration.ofSeconds(30);

    private final String agent;
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> databasePrefixes = new CopyOnWriteArrayList<>();
    private final Map<ResourceID, AtomicInteger> reconciles = new ConcurrentHashMap<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private Operator operator;

    private OperatorFixture(String agent) {
        this.agent = agent;
    }

    /** An operator whose API calls carry this User-Agent. */
    static OperatorFixture withAgent(String agent) {
        return new OperatorFixture(agent);
    }

    /** A system property set before the operator starts and cleared when the class ends (the operator's settings). */
    OperatorFixture systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        systemProperties.forEach(System::setProperty);
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init();
        client = server.createClient();
        try (var crd = Files.newInputStream(TestSupport.generatedCrd())) {
            client.resource(client.getKubernetesSerialization().unmarshal(crd, CustomResourceDefinition.class)).create();
        }
        var operatorClient = server.createClient(builder -> builder.editOrNewConfig().withUserAgent(agent).endConfig());
        var settings = new OperatorSettings(Set.of(), "storefront-system", 0, false, "unused");
        operator = Main.createOperator(operatorClient, settings, overrider -> overrider
                .withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withCloseClientOnStop(true)
                .withMetrics(new Metrics() {
                    @Override
                    public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
                        reconciles.computeIfAbsent(ResourceID.fromResource(resource), id -> new AtomicInteger()).incrementAndGet();
                    }
                }));
        operator.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        systemProperties.keySet().forEach(System::clearProperty);
        if (operator != null) {
            operator.stop();
        }
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroy();
        }
        for (String prefix : databasePrefixes) {
            TestSupport.dropAll(prefix);
        }
    }

    KubernetesClient client() {
        return client;
    }

    /** Databases and roles whose names start with it are dropped when the class ends. */
    String dropAfterwards(String prefix) {
        databasePrefixes.add(prefix);
        return prefix;
    }

    /** How many times the operator has started reconciling this Storefront. */
    int reconciles(String namespace, String name) {
        var count = reconciles.get(new ResourceID(name, namespace));
        return count == null ? 0 : count.get();
    }

    // ---- the API, as a user would use it

    String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    Storefront create(String namespace, Storefront sf) {
        sf.getMetadata().setNamespace(namespace);
        return client.resource(sf).create();
    }

    Storefront get(String namespace, String name) {
        return client.resources(Storefront.class).inNamespace(namespace).withName(name).get();
    }

    /** Edits the Storefront like kubectl edit; retried when the operator's status write got there first (409). */
    void edit(String namespace, String name, Consumer<Storefront> change) {
        await().atMost(EDIT_RETRY).ignoreException(KubernetesClientException.class).until(() -> {
            client.resources(Storefront.class).inNamespace(namespace).withName(name).edit(s -> {
                change.accept(s);
                return s;
            });
            return true;
        });
    }

    /** Sets one annotation on the Storefront (kubectl annotate --overwrite). */
    void annotate(String namespace, String name, String key, String value) {
        edit(namespace, name, s -> {
            var annotations = new HashMap<String, String>(s.getMetadata().getAnnotations() == null ? Map.of()
                    : s.getMetadata().getAnnotations());
            annotations.put(key, value);
            s.getMetadata().setAnnotations(annotations);
        });
    }

    /** The condition of that type, asserting the Storefront and its status exist. */
    static Condition condition(Storefront sf, String type) {
        assertThat(sf).as("the Storefront").isNotNull();
        assertThat(sf.getStatus()).as("its status").isNotNull();
        Condition condition = Conditions.find(sf.getStatus().conditions, type);
        assertThat(condition).as("condition " + type).isNotNull();
        return condition;
    }

    /** "type reason message" of each Event in the namespace. */
    List<String> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .map(e -> e.getType() + " " + e.getReason() + " " + e.getMessage()).toList();
    }

    void secret(String namespace, String name, Map<String, String> values) {
        var data = values.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> encode(e.getValue())));
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withData(data).build()).create();
    }

    /** Changes one value of a Secret, as a user rotating a credential would. */
    void editSecret(String namespace, String name, String key, String value) {
        client.secrets().inNamespace(namespace).withName(name).edit(s -> {
            s.getData().put(key, encode(value));
            return s;
        });
    }

    String secretValue(String namespace, String name, String key) {
        Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    /** An annotation of a Deployment's pod template (config and Secret hashes), null when it does not exist. */
    String podAnnotation(String namespace, String deployment, String annotation) {
        var d = client.apps().deployments().inNamespace(namespace).withName(deployment).get();
        return d == null ? null : d.getSpec().getTemplate().getMetadata().getAnnotations().get(annotation);
    }

    /** What the Deployment controller writes once all of a Deployment's pods are ready. */
    void markReady(io.fabric8.kubernetes.api.model.apps.Deployment deployment) {
        int replicas = deployment.getSpec().getReplicas() != null ? deployment.getSpec().getReplicas()
                : client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(deployment.getMetadata().getNamespace())
                .withName(deployment.getMetadata().getName()).get().getSpec().getMinReplicas();
        deployment.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReplicas(replicas)
                .withReadyReplicas(replicas).withAvailableReplicas(replicas).withUpdatedReplicas(replicas)
                .withObservedGeneration(deployment.getMetadata().getGeneration()).build());
        client.resource(deployment).updateStatus();
    }

    /** The permissions of every API call the operator has made so far (each recorded request is read once). */
    Set<OperatorPermissions.Permission> permissionsUsed() throws InterruptedException {
        var used = new TreeSet<OperatorPermissions.Permission>();
        int requests = server.getRequestCount();
        for (int i = 0; i < requests; i++) {
            RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
            if (request == null) {
                break;
            }
            if (agent.equals(request.getHeader("User-Agent"))) {
                var permission = OperatorPermissions.forRequest(request.getMethod(), request.getPath());
                if (permission != null) {
                    used.add(permission);
                }
            }
        }
        return used;
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
