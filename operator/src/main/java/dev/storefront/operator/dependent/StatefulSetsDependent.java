package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The in-cluster PostgreSQL (one node) and NATS JetStream servers (one, or a cluster of messaging.replicas), each a
 * StatefulSet with a PVC per pod, when chosen.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class StatefulSetsDependent extends StorefrontBulkDependent<StatefulSet> {
    public static final String POSTGRES = "postgres";
    public static final String NATS = "nats";

    public StatefulSetsDependent() {
        super(StatefulSet.class);
    }

    @Override
    protected List<StatefulSet> desiredList(Storefront sf, Context<Storefront> context) {
        var spec = sf.getSpec();
        var sets = new ArrayList<StatefulSet>();
        if (spec.database.mode == StorefrontSpec.DatabaseMode.InCluster) {
            sets.add(postgres(sf));
        }
        if (spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            sets.add(nats(sf, context));
        }
        return sets;
    }

    private static StatefulSet postgres(Storefront sf) {
        var db = sf.getSpec().database;
        String admin = StorefrontNames.postgresAdminSecret(sf);
        var container = new ContainerBuilder()
                .withName(POSTGRES).withImage(db.inCluster.image)
                .addNewPort().withName("postgres").withContainerPort(5432).endPort()
                .addNewEnv().withName("POSTGRES_USER").withNewValueFrom().withNewSecretKeyRef(
                        "username", admin, false).endValueFrom().endEnv()
                .addNewEnv().withName("POSTGRES_PASSWORD").withNewValueFrom().withNewSecretKeyRef(
                        "password", admin, false).endValueFrom().endEnv()
                .addNewEnv().withName("PGDATA").withValue("/var/lib/postgresql/data/pgdata").endEnv()
                .withReadinessProbe(new ProbeBuilder().withNewExec().withCommand("pg_isready", "-U", "postgres").endExec()
                        .withPeriodSeconds(5).build())
                .withLivenessProbe(new ProbeBuilder().withNewExec().withCommand("pg_isready", "-U", "postgres").endExec()
                        .withInitialDelaySeconds(30).withPeriodSeconds(10).build())
                .withNewResources().withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
                .withLimits(Map.of("memory", new Quantity("1Gi"))).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/postgresql/data").endVolumeMount()
                .addNewVolumeMount().withName("run").withMountPath("/var/run/postgresql").endVolumeMount()
                .build();
        // the official image runs as uid 999 (postgres) when started as that user
        return statefulSet(sf, POSTGRES, StorefrontNames.postgres(sf), container, 999L,
                claim(db.inCluster.storageSize, db.inCluster.storageClassName));
    }

    private static StatefulSet nats(Storefront sf, Context<Storefront> context) {
        var nats = sf.getSpec().messaging.inCluster;
        int replicas = NatsConfig.replicas(sf);
        var container = new ContainerBuilder()
                .withName(NATS).withImage(nats.image)
                .withArgs("--config", "/etc/nats/" + NatsConfig.KEY)
                .addNewEnv().withName("POD_NAME").withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name")
                .endFieldRef().endValueFrom().endEnv()
                .addNewPort().withName("client").withContainerPort(NatsConfig.CLIENT_PORT).endPort()
                .addNewPort().withName("monitor").withContainerPort(NatsConfig.MONITOR_PORT).endPort()
                .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz?js-enabled-only=true")
                        .withNewPort("monitor").endHttpGet().withPeriodSeconds(5).build())
                .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz?js-server-only=true")
                        .withNewPort("monitor").endHttpGet().withInitialDelaySeconds(10).withPeriodSeconds(10).build())
                .withNewResources().withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))
                .withLimits(Map.of("memory", new Quantity("512Mi"))).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .addNewVolumeMount().withName("config").withMountPath("/etc/nats").withReadOnly(true).endVolumeMount()
                .build();
        if (replicas > 1) {
            container.getPorts().add(new ContainerPortBuilder().withName("cluster").withContainerPort(NatsConfig.CLUSTER_PORT).build());
        }
        StatefulSet set = statefulSet(sf, NATS, StorefrontNames.nats(sf), container, 1000L,
                claim(nats.storageSize, nats.storageClassName));
        var spec = set.getSpec();
        spec.setReplicas(replicas);
        if (replicas > 1) {
            // routes need each pod's own DNS name, from a headless Service; all pods start at once to elect a leader
            spec.setServiceName(StorefrontNames.natsCluster(sf));
            spec.setPodManagementPolicy("Parallel");
        }
        var volumes = new ArrayList<>(spec.getTemplate().getSpec().getVolumes() == null ? List.of()
                : spec.getTemplate().getSpec().getVolumes());
        volumes.add(new VolumeBuilder().withName("config").withNewSecret()
                .withSecretName(StorefrontNames.natsConfigSecret(sf)).endSecret().build());
        spec.getTemplate().getSpec().setVolumes(volumes);
        // nats-server reads its users at start: a changed login restarts the servers (one by one)
        spec.getTemplate().getMetadata().setAnnotations(Map.of(StorefrontNames.CONFIG_HASH_ANNOTATION,
                configHash(sf, context)));
        return set;
    }

    private static String configHash(Storefront sf, Context<Storefront> context) {
        String config = context.getSecondaryResources(Secret.class).stream()
                .filter(s -> StorefrontNames.natsConfigSecret(sf).equals(s.getMetadata().getName()))
                .map(s -> s.getData() == null ? "" : s.getData().getOrDefault(NatsConfig.KEY, ""))
                .findFirst().orElse("");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(config.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StatefulSet statefulSet(Storefront sf, String component, String name,
                                           io.fabric8.kubernetes.api.model.Container container, long uid,
                                           PersistentVolumeClaim claim) {
        // with reclaimPolicy Delete the data volume goes with the Storefront; with Retain it stays for a later one
        String pvcPolicy = sf.getSpec().database.reclaimPolicy == StorefrontSpec.ReclaimPolicy.Delete ? "Delete" : "Retain";
        var builder = new StatefulSetBuilder()
                .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                .withNewSpec()
                    .withReplicas(1)
                    .withServiceName(name)
                    .withNewSelector().withMatchLabels(StorefrontNames.selector(sf, component)).endSelector()
                    .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted(pvcPolicy).withWhenScaled("Retain")
                    .endPersistentVolumeClaimRetentionPolicy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                        .withNewSpec()
                            .withAutomountServiceAccountToken(false)
                            .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(uid).withRunAsGroup(uid)
                            .withFsGroup(uid).withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                            .endSecurityContext()
                            .withContainers(container)
                        .endSpec()
                    .endTemplate()
                    .withVolumeClaimTemplates(claim)
                .endSpec();
        if (POSTGRES.equals(component)) {
            builder.editSpec().editTemplate().editSpec()
                    .addNewVolume().withName("run").withNewEmptyDir().endEmptyDir().endVolume()
                    .endSpec().endTemplate().endSpec();
        }
        return builder.build();
    }

    private static PersistentVolumeClaim claim(String size, String storageClassName) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("data").endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(storageClassName)
                    .withNewResources().withRequests(Map.of("storage", new Quantity(size))).endResources()
                .endSpec()
                .build();
    }
}
