package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Gateway API HTTPRoute, instead of the Ingress, when the gateway names a parentRef. Handled as a generic
 * resource so the operator needs no Gateway API model and runs on clusters without those CRDs.
 */
public final class HttpRoute {
    // with the plural the client needs no API discovery, which fails while the CRD is not installed
    public static final GroupVersionKindPlural GVK = GroupVersionKindPlural.gvkWithPlural(
            new GroupVersionKind("gateway.networking.k8s.io", "v1", "HTTPRoute"), "httproutes");

    private HttpRoute() {
    }

    /** What should exist for the Storefront, or null when its spec does not ask for one. */
    public static GenericKubernetesResource desired(Storefront sf) {
        var gateway = sf.getSpec().gateway;
        if (gateway == null || gateway.parentRef == null) {
            return null;
        }
        var parent = new LinkedHashMap<String, Object>();
        parent.put("name", gateway.parentRef.name);
        if (gateway.parentRef.namespace != null) {
            parent.put("namespace", gateway.parentRef.namespace);
        }
        if (gateway.parentRef.sectionName != null) {
            parent.put("sectionName", gateway.parentRef.sectionName);
        }
        var rules = new ArrayList<Map<String, Object>>();
        for (ShopService service : ShopService.values()) {
            List<Map<String, Object>> matches = service.publicPaths().stream()
                    .map(path -> Map.<String, Object>of("path", Map.of("type", "PathPrefix", "value", path)))
                    .toList();
            rules.add(Map.of("matches", matches, "backendRefs",
                    List.of(Map.of("name", StorefrontNames.service(sf, service), "port", ShopService.PORT))));
        }
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(GVK.apiVersion()).withKind(GVK.getKind())
                .withNewMetadata().withName(StorefrontNames.route(sf)).withNamespace(sf.getMetadata().getNamespace())
                .withLabels(StorefrontNames.labels(sf, "gateway")).endMetadata()
                .addToAdditionalProperties("spec", Map.of(
                        "parentRefs", List.of(parent),
                        "hostnames", List.of(gateway.host),
                        "rules", rules))
                .build();
    }
}
