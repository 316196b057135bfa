package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CloudNativePG resources of database.mode CloudNativePG, as generic resources: the operator needs no CNPG
 * model and still starts on clusters without CloudNativePG. The {@code Cluster} carries only the fields the
 * operator owns (instances, image, storage, the managed login roles), applied so that everything else in it (a
 * user's {@code backup:} or {@code monitoring:}) is left alone; superuser access stays off, because databases are
 * CNPG {@code Database} resources and roles are {@code spec.managed.roles} with the generated login Secrets.
 * With reclaimPolicy Retain the Cluster gets no owner reference, so it and its data outlive the Storefront.
 */
public final class CnpgCluster {
    // with the plural the client needs no API discovery, which fails while the CRD is not installed
    public static final GroupVersionKindPlural GVK = GroupVersionKindPlural.gvkWithPlural(
            new GroupVersionKind("postgresql.cnpg.io", "v1", "Cluster"), "clusters");
    public static final GroupVersionKindPlural DATABASE_GVK = GroupVersionKindPlural.gvkWithPlural(
            new GroupVersionKind("postgresql.cnpg.io", "v1", "Database"), "databases");
    public static final GroupVersionKindPlural SCHEDULED_BACKUP_GVK = GroupVersionKindPlural.gvkWithPlural(
            new GroupVersionKind("postgresql.cnpg.io", "v1", "ScheduledBackup"), "scheduledbackups");

    private CnpgCluster() {
    }

    /**
     * What should exist for the Storefront, or null when its spec does not ask for one. A null value means "the
     * operator owns this field and wants it absent" (removed by the merge patch; dropped before server-side apply).
     */
    public static GenericKubernetesResource desired(Storefront sf) {
        if (!cloudNativePg(sf)) {
            return null;
        }
        var cnpg = sf.getSpec().database.cloudNativePG;
        var storage = new LinkedHashMap<String, Object>();
        storage.put("size", cnpg.storageSize);
        storage.put("storageClass", cnpg.storageClassName);
        var roles = new ArrayList<Map<String, Object>>();
        for (ShopService service : ShopService.backends()) {
            var role = new LinkedHashMap<String, Object>();
            role.put("name", StorefrontNames.database(sf, service));
            role.put("ensure", "present");
            role.put("login", true);
            role.put("passwordSecret", Map.of("name", StorefrontNames.databaseSecret(sf, service)));
            roles.add(role);
        }
        var spec = new LinkedHashMap<String, Object>();
        spec.put("instances", cnpg.instances);
        spec.put("imageName", cnpg.imageName);
        spec.put("storage", storage);
        spec.put("managed", Map.of("roles", roles));
        return resource(sf, GVK, StorefrontNames.cnpgCluster(sf), spec);
    }

    /** One CNPG Database per service, owned by its login role. */
    public static GenericKubernetesResource database(Storefront sf, ShopService service) {
        if (!cloudNativePg(sf)) {
            return null;
        }
        var spec = new LinkedHashMap<String, Object>();
        spec.put("name", StorefrontNames.database(sf, service));
        spec.put("owner", StorefrontNames.database(sf, service));
        spec.put("cluster", Map.of("name", StorefrontNames.cnpgCluster(sf)));
        spec.put("ensure", "present");
        // deleting the Database resource (with the Storefront) drops the database only under reclaimPolicy Delete
        spec.put("databaseReclaimPolicy",
                sf.getSpec().database.reclaimPolicy == StorefrontSpec.ReclaimPolicy.Delete ? "delete" : "retain");
        return resource(sf, DATABASE_GVK, StorefrontNames.cnpgDatabase(sf, service), spec);
    }

    /** The ScheduledBackup of spec.database.backup, or null without one. */
    public static GenericKubernetesResource scheduledBackup(Storefront sf) {
        var backup = sf.getSpec().database.backup;
        if (!cloudNativePg(sf) || backup == null) {
            return null;
        }
        var spec = new LinkedHashMap<String, Object>();
        spec.put("schedule", backup.schedule);
        spec.put("cluster", Map.of("name", StorefrontNames.cnpgCluster(sf)));
        spec.put("method", backup.method == null ? StorefrontSpec.BackupMethod.barmanObjectStore.name() : backup.method.name());
        if (backup.target != null) {
            spec.put("target", backup.target == StorefrontSpec.BackupTarget.preferStandby ? "prefer-standby" : "primary");
        }
        spec.put("immediate", Boolean.TRUE.equals(backup.immediate));
        spec.put("suspend", Boolean.TRUE.equals(backup.suspend));
        // the Backup objects it makes belong to the ScheduledBackup: not to the Cluster, which may outlive it
        spec.put("backupOwnerReference", "self");
        return resource(sf, SCHEDULED_BACKUP_GVK, StorefrontNames.cnpgScheduledBackup(sf), spec);
    }

    /** Ready once CloudNativePG reports a ready instance. */
    public static boolean isReady(GenericKubernetesResource cluster) {
        if (cluster == null || !(cluster.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        return status.get("readyInstances") instanceof Number n && n.intValue() >= 1;
    }

    /** CloudNativePG sets status.applied once the database exists as specified. */
    public static boolean isApplied(GenericKubernetesResource database) {
        return database != null && database.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && Boolean.TRUE.equals(status.get("applied"));
    }

    /** CloudNativePG's message when it could not apply a Database, or null. */
    public static String problem(GenericKubernetesResource database) {
        return database != null && database.getAdditionalProperties().get("status") instanceof Map<?, ?> status
                && status.get("message") instanceof String message && !message.isBlank() ? message : null;
    }

    public static List<GroupVersionKindPlural> kinds() {
        return List.of(GVK, DATABASE_GVK, SCHEDULED_BACKUP_GVK);
    }

    private static boolean cloudNativePg(Storefront sf) {
        return sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.CloudNativePG;
    }

    private static GenericKubernetesResource resource(Storefront sf, GroupVersionKindPlural gvk, String name,
                                                      Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(gvk.apiVersion()).withKind(gvk.getKind())
                .withNewMetadata().withName(name).withNamespace(sf.getMetadata().getNamespace())
                .withLabels(StorefrontNames.labels(sf, "database")).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }
}
