package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Children whose CRDs may be missing from the cluster (Gateway API HTTPRoute, CloudNativePG Cluster). JOSDK's
 * generic dependents open an informer (and so need API discovery) even while inactive, which would break every
 * Storefront on a cluster without those CRDs; these are applied with plain client calls instead, only when wanted.
 */
public final class GenericChildren {
    /** The server-side apply field manager of the fields the operator owns. */
    public static final String FIELD_MANAGER = "storefront-operator";
    // plain Jackson: keeps the explicit nulls of a merge patch, which remove fields
    private static final ObjectMapper JSON = new ObjectMapper();

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

    /**
     * Like {@link #reconcile}, but writes only the fields desired names and leaves every other field of the live
     * object alone (another controller's, or a user's). With server-side apply the API server tracks them under
     * {@link #FIELD_MANAGER}; without it (fabric8's mock) a JSON merge patch of just those fields does the same
     * for maps, and null values in desired remove a field the operator owns but no longer wants.
     */
    public static GenericKubernetesResource applyOwnedFields(KubernetesClient client, Storefront sf,
                                                             GroupVersionKindPlural gvk, String name,
                                                             GenericKubernetesResource desired, boolean owned,
                                                             boolean serverSideApply) {
        if (desired == null) {
            return reconcile(client, sf, gvk, name, null, owned);
        }
        var resources = client.genericKubernetesResources(definition(gvk)).inNamespace(sf.getMetadata().getNamespace());
        if (owned) {
            desired.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
                    .withApiVersion(sf.getApiVersion()).withKind(sf.getKind()).withName(sf.getMetadata().getName())
                    .withUid(sf.getMetadata().getUid()).build()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) desired.getAdditionalProperties().get("spec");
        try {
            if (serverSideApply) {
                desired.getAdditionalProperties().put("spec", withoutNulls(spec));
                return resources.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            }
            GenericKubernetesResource actual = resources.withName(name).get();
            if (actual == null) {
                desired.getAdditionalProperties().put("spec", withoutNulls(spec));
                return resources.resource(desired).create();
            }
            var metadata = new LinkedHashMap<String, Object>();
            metadata.put("labels", desired.getMetadata().getLabels());
            // an owner reference is the operator's only when it wants one: do not strip a user's
            if (owned) {
                metadata.put("ownerReferences", desired.getMetadata().getOwnerReferences());
            }
            var patch = new LinkedHashMap<String, Object>();
            patch.put("metadata", metadata);
            patch.put("spec", spec);
            if (contains(Map.of("metadata", JSON.convertValue(actual.getMetadata(), Map.class),
                    "spec", actual.getAdditionalProperties().getOrDefault("spec", Map.of())), JSON.convertValue(patch, Map.class))) {
                return actual;
            }
            return resources.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), JSON.writeValueAsString(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw new CrdMissingException(gvk.getKind() + " (" + gvk.apiVersion() + ") is not installed in this "
                        + "cluster; install its CRDs or change the Storefront");
            }
            throw e;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether actual already has every (non-null) value of wanted, and none of wanted's null fields. */
    static boolean contains(Object actual, Object wanted) {
        if (wanted instanceof Map<?, ?> wantedMap) {
            if (!(actual instanceof Map<?, ?> actualMap)) {
                return false;
            }
            return wantedMap.entrySet().stream().allMatch(e -> e.getValue() == null
                    ? actualMap.get(e.getKey()) == null : contains(actualMap.get(e.getKey()), e.getValue()));
        }
        if (wanted instanceof List<?> wantedList) {
            if (!(actual instanceof List<?> actualList) || actualList.size() != wantedList.size()) {
                return false;
            }
            for (int i = 0; i < wantedList.size(); i++) {
                if (!contains(actualList.get(i), wantedList.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return wanted instanceof Number n && actual instanceof Number m ? n.longValue() == m.longValue()
                && n.doubleValue() == m.doubleValue() : Objects.equals(actual, wanted);
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        var copy = new LinkedHashMap<String, Object>();
        map.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) {
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) nested;
                copy.put(key, withoutNulls(typed));
            } else if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    /** The kind's CRD is not installed: a setup problem to report, not to retry fast. */
    public static final class CrdMissingException extends RuntimeException {
        CrdMissingException(String message) {
            super(message);
        }
    }
}
