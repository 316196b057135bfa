package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The in-cluster PostgreSQL and NATS JetStream servers, each a single-node StatefulSet with a PVC, when chosen. */
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
            sets.add(nats(sf));
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

    private static StatefulSet nats(Storefront sf) {
        var nats = sf.getSpec().messaging.inCluster;
        var container = new ContainerBuilder()
                .withName(NATS).withImage(nats.image)
                .withArgs("--jetstream", "--store_dir", "/data", "--http_port", "8222")
                .addNewPort().withName("client").withContainerPort(4222).endPort()
                .addNewPort().withName("monitor").withContainerPort(8222).endPort()
                .withReadinessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz?js-enabled-only=true")
                        .withNewPort("monitor").endHttpGet().withPeriodSeconds(5).build())
                .withLivenessProbe(new ProbeBuilder().withNewHttpGet().withPath("/healthz?js-server-only=true")
                        .withNewPort("monitor").endHttpGet().withInitialDelaySeconds(10).withPeriodSeconds(10).build())
                .withNewResources().withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")))
                .withLimits(Map.of("memory", new Quantity("512Mi"))).endResources()
                .withNewSecurityContext().withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true)
                .withNewCapabilities().withDrop("ALL").endCapabilities().endSecurityContext()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
                .build();
        return statefulSet(sf, NATS, StorefrontNames.nats(sf), container, 1000L,
                claim(nats.storageSize, nats.storageClassName));
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
