package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

import java.util.List;
import java.util.Objects;

/**
 * Children whose CRDs may be missing from the cluster (Gateway API HTTPRoute, CloudNativePG Cluster). JOSDK's
 * generic dependents open an informer (and so need API discovery) even while inactive, which would break every
 * Storefront on a cluster without those CRDs; these are applied with plain client calls instead, only when wanted.
 */
public final class GenericChildren {
    private GenericChildren() {
    }

    /** Addresses a generic kind without API discovery. */
    public static ResourceDefinitionContext definition(GroupVersionKindPlural gvk) {
        return new ResourceDefinitionContext.Builder().withGroup(gvk.getGroup()).withVersion(gvk.getVersion())
                .withKind(gvk.getKind()).withPlural(gvk.getPluralOrDefault()).withNamespaced(true).build();
    }

    /**
     * Makes the child match desired (create or update its spec), or deletes the one this Storefront made when
     * desired is null. Returns the child as it is now, or null.
     *
     * @throws CrdMissingException when the kind is not installed on the cluster
     */
    public static GenericKubernetesResource reconcile(KubernetesClient client, Storefront sf, GroupVersionKindPlural gvk,
                                                      String name, GenericKubernetesResource desired, boolean owned) {
        var resources = client.genericKubernetesResources(definition(gvk)).inNamespace(sf.getMetadata().getNamespace());
        try {
            GenericKubernetesResource actual = resources.withName(name).get();
            if (desired == null) {
                if (actual != null && StorefrontNames.MANAGED_BY.equals(
                        actual.getMetadata().getLabels() == null ? null
                                : actual.getMetadata().getLabels().get(StorefrontNames.LABEL_MANAGED_BY))
                        && sf.getMetadata().getName().equals(actual.getMetadata().getLabels().get(StorefrontNames.LABEL_INSTANCE))) {
                    resources.withName(name).delete();
                }
                return null;
            }
            if (owned) {
                desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                        .withApiVersion(sf.getApiVersion()).withKind(sf.getKind()).withName(sf.getMetadata().getName())
                        .withUid(sf.getMetadata().getUid()).build()));
            }
            if (actual == null) {
                return resources.resource(desired).create();
            }
            if (Objects.equals(actual.getAdditionalProperties().get("spec"), desired.getAdditionalProperties().get("spec"))
                    && Objects.equals(actual.getMetadata().getOwnerReferences(), desired.getMetadata().getOwnerReferences())) {
                return actual;
            }
            actual.getAdditionalProperties().put("spec", desired.getAdditionalProperties().get("spec"));
            actual.getMetadata().setLabels(desired.getMetadata().getLabels());
            actual.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
            return resources.resource(actual).update();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                if (desired == null) {
                    return null;
                }
                throw new CrdMissingException(gvk.getKind() + " (" + gvk.apiVersion() + ") is not installed in this "
                        + "cluster; install its CRDs or change the Storefront");
            }
            throw e;
        }
    }

    /** The kind's CRD is not installed: a setup problem to report, not to retry fast. */
    public static final class CrdMissingException extends RuntimeException {
        CrdMissingException(String message) {
            super(message);
        }
    }
}
