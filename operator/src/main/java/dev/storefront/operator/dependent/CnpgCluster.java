package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CloudNativePG {@code Cluster} when database.mode is CloudNativePG, as a generic resource: the operator needs no
 * CNPG model and still starts on clusters without CloudNativePG. With reclaimPolicy Retain it gets no owner
 * reference, so the Cluster and its data outlive the Storefront.
 */
public final class CnpgCluster {
    // with the plural the client needs no API discovery, which fails while the CRD is not installed
    public static final GroupVersionKindPlural GVK = GroupVersionKindPlural.gvkWithPlural(
            new GroupVersionKind("postgresql.cnpg.io", "v1", "Cluster"), "clusters");

    private CnpgCluster() {
    }

    /** What should exist for the Storefront, or null when its spec does not ask for one. */
    public static GenericKubernetesResource desired(Storefront sf) {
        if (sf.getSpec().database.mode != StorefrontSpec.DatabaseMode.CloudNativePG) {
            return null;
        }
        var cnpg = sf.getSpec().database.cloudNativePG;
        var storage = new LinkedHashMap<String, Object>();
        storage.put("size", cnpg.storageSize);
        if (cnpg.storageClassName != null) {
            storage.put("storageClass", cnpg.storageClassName);
        }
        var spec = new LinkedHashMap<String, Object>();
        spec.put("instances", cnpg.instances);
        if (cnpg.imageName != null) {
            spec.put("imageName", cnpg.imageName);
        }
        // the operator provisions one database and role per service with the superuser, like on any server
        spec.put("enableSuperuserAccess", true);
        spec.put("storage", storage);
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GVK.apiVersion()).withKind(GVK.getKind())
                .withNewMetadata().withName(StorefrontNames.cnpgCluster(sf)).withNamespace(sf.getMetadata().getNamespace())
                .withLabels(StorefrontNames.labels(sf, "database")).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }

    /** Ready once CloudNativePG reports a ready instance. */
    public static boolean isReady(GenericKubernetesResource cluster) {
        if (cluster == null || !(cluster.getAdditionalProperties().get("status") instanceof Map<?, ?> status)) {
            return false;
        }
        return status.get("readyInstances") instanceof Number n && n.intValue() >= 1;
    }

}
