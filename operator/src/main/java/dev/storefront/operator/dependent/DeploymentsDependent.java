package dev.storefront.operator.dependent;

import dev.storefront.operator.Conditions;
import dev.storefront.operator.ServiceEnvironment;
import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One Deployment per service: probes on the health endpoints, non-root, config and Secret hashes to roll on changes,
 * and no pods before the service's database and role exist.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class DeploymentsDependent extends StorefrontBulkDependent<Deployment> {
    static final String LIVE_PATH = "/observe/health/live";
    static final String READY_PATH = "/observe/health/ready";
    static final String METRICS_PATH = "/observe/metrics";
    /** The drain delay, spent before SIGTERM (see the container's preStop). */
    public static final long PRE_STOP_SLEEP_SECONDS = 5;
    /** preStop + the process's bound + a margin: the kubelet kills nothing that is still stopping in time. */
    public static final long TERMINATION_GRACE_SECONDS = PRE_STOP_SLEEP_SECONDS + ServiceEnvironment.SHUTDOWN_TIMEOUT_SECONDS + 5;

    public DeploymentsDependent() {
        super(Deployment.class);
    }

    /**
     * On a Deployment made before its database existed: its pods are held at 0 replicas until the Storefront's
     * DatabaseReady turns True. A running Deployment (no annotation) is never scaled down over a database problem.
     */
    public static final String WAITING_FOR_DATABASE_ANNOTATION = dev.storefront.operator.model.Storefront.GROUP
            + "/waiting-for-database";

    @Override
    protected List<Deployment> desiredList(Storefront sf, Context<Storefront> context) {
        var secrets = new java.util.HashMap<String, java.util.Optional<Secret>>();
        String namespace = sf.getMetadata().getNamespace();
        // read from the API server, not a cache: the informer of the user's Secrets (Stripe, SMTP) keeps no values
        java.util.function.BiFunction<String, String, String> value = (name, key) -> secrets
                .computeIfAbsent(name, n -> java.util.Optional.ofNullable(context.getClient().secrets().inNamespace(namespace)
                        .withName(n).get()))
                .map(secret -> secretValue(secret, key)).orElse(null);
        boolean databaseReady = sf.getStatus() != null
                && Conditions.isTrue(sf.getStatus().conditions, Conditions.DATABASE_READY);
        var existing = getSecondaryResources(sf, context);
        return Arrays.stream(ShopService.values()).map(service -> {
            Deployment deployment = deployment(sf, service);
            deployment.getSpec().getTemplate().getMetadata().getAnnotations()
                    .put(StorefrontNames.SECRET_HASH_ANNOTATION, ServiceEnvironment.secretHash(sf, service, value));
            Deployment actual = existing.get(new ResourceID(deployment.getMetadata().getName(), namespace));
            boolean waiting = actual == null || waitingForDatabase(actual);
            if (service.isBackend() && waiting && !databaseReady) {
                deployment.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(WAITING_FOR_DATABASE_ANNOTATION, "true")));
                deployment.getSpec().setReplicas(0);
            } else if (waiting && actual != null) {
                // released: "false" rather than removed, since an update without server-side apply keeps annotations
                deployment.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(WAITING_FOR_DATABASE_ANNOTATION, "false")));
                if (deployment.getSpec().getReplicas() == null) {
                    // an autoscaler never scales up from 0: start at its minimum, it owns the count from there
                    deployment.getSpec().setReplicas(sf.getSpec().services.get(service).autoscaling.minReplicas);
                }
            }
            return deployment;
        }).toList();
    }

    /** True when this Deployment is held at 0 replicas until its database exists. */
    public static boolean waitingForDatabase(Deployment deployment) {
        return deployment != null && deployment.getMetadata().getAnnotations() != null
                && "true".equals(deployment.getMetadata().getAnnotations().get(WAITING_FOR_DATABASE_ANNOTATION));
    }

    private static String secretValue(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return secret.getData().get(key);
        }
        return secret.getStringData() == null ? null : secret.getStringData().get(key);
    }

    /** Replica count the Deployment should have, or null when an HPA owns it. */
    public static Integer replicas(Storefront sf, ShopService service) {
        var spec = sf.getSpec().services.get(service);
        return spec.autoscaling != null ? null : spec.replicas;
    }

    static Deployment deployment(Storefront sf, ShopService service) {
        var spec = sf.getSpec();
        var labels = StorefrontNames.serviceLabels(sf, service);
        var podAnnotations = new java.util.TreeMap<String, String>();
        podAnnotations.put(StorefrontNames.CONFIG_HASH_ANNOTATION, ServiceEnvironment.configHash(sf, service));
        if (service.isBackend()) {
            podAnnotations.put("prometheus.io/scrape", "true");
            podAnnotations.put("prometheus.io/port", String.valueOf(ShopService.PORT));
            podAnnotations.put("prometheus.io/path", METRICS_PATH);
        }
        Container container = new ContainerBuilder()
                .withName(service.id())
                .withImage(ServiceEnvironment.image(sf, service))
                .withImagePullPolicy(spec.image.pullPolicy.name())
                .addNewPort().withName("http").withContainerPort(ShopService.PORT).withProtocol("TCP").endPort()
                .addNewEnvFrom().withNewConfigMapRef().withName(StorefrontNames.configMap(sf, service)).endConfigMapRef().endEnvFrom()
                .withEnv(ServiceEnvironment.env(sf, service))
                .withResources(resources(spec.services.get(service).resources))
                // web serves the same health endpoints as the backends (its readiness: not stopping).
                // 5 min to start: on a node starting the whole shop at once a JVM with a 100m CPU request took
                // 160-175 s to Ready in the cluster-in-a-box test, past the 155 s this probe allowed before
                .withLivenessProbe(probe(LIVE_PATH, 20, 10, 3))
                .withReadinessProbe(probe(READY_PATH, 5, 5, 3))
                .withStartupProbe(probe(LIVE_PATH, 5, 5, 60))
                // Kubernetes takes a terminating pod out of its Services' endpoints at once, but ingress
                // controllers and kube-proxy learn it a little later: the preStop sleep is the drain delay,
                // so the process (STOREFRONT_SHUTDOWN_DRAIN_DASH_MS=0 in its env) stops accepting as soon as
                // SIGTERM arrives and has its own 25 s bound to finish requests and close
                .withNewLifecycle().withNewPreStop().withNewSleep(PRE_STOP_SLEEP_SECONDS).endPreStop().endLifecycle()
                .withNewSecurityContext()
                    .withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                .endSecurityContext()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .build();
        return new DeploymentBuilder()
                .withNewMetadata().withName(StorefrontNames.service(sf, service)).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withReplicas(replicas(sf, service))
                    .withNewSelector().withMatchLabels(StorefrontNames.selector(sf, service.id())).endSelector()
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withNewMaxUnavailable(0).withNewMaxSurge(1).endRollingUpdate().endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(podAnnotations).endMetadata()
                        .withNewSpec()
                            .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
                            .withAutomountServiceAccountToken(false)
                            .withImagePullSecrets(spec.image.pullSecrets.stream().map(LocalObjectReference::new).toList())
                            .withNewSecurityContext()
                                .withRunAsNonRoot(true).withRunAsUser(65532L).withRunAsGroup(65532L).withFsGroup(65532L)
                                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withContainers(container)
                            .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    static ResourceRequirements resources(ResourceRequirements fromSpec) {
        if (fromSpec != null) {
            return fromSpec;
        }
        return new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
                .withLimits(Map.of("memory", new Quantity("512Mi")))
                .build();
    }

    private static Probe probe(String path, int initialDelay, int period, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withNewPort("http").endHttpGet()
                .withInitialDelaySeconds(initialDelay).withPeriodSeconds(period)
                .withTimeoutSeconds(3).withFailureThreshold(failureThreshold)
                .build();
    }
}
