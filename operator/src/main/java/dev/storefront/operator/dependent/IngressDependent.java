package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Ingress that sends each service's /api prefixes to its Service and / to web, when the spec has a gateway
 * without a Gateway API parentRef. /internal is never routed.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class IngressDependent extends StorefrontBulkDependent<Ingress> {

    public IngressDependent() {
        super(Ingress.class);
    }

    @Override
    protected List<Ingress> desiredList(Storefront sf, Context<Storefront> context) {
        var gateway = sf.getSpec().gateway;
        if (gateway == null || gateway.parentRef != null) {
            return List.of();
        }
        var paths = new ArrayList<HTTPIngressPath>();
        for (ShopService service : ShopService.values()) {
            for (String path : service.publicPaths()) {
                paths.add(new HTTPIngressPathBuilder().withPath(path).withPathType("Prefix")
                        .withNewBackend().withNewService().withName(StorefrontNames.service(sf, service))
                        .withNewPort().withName("http").endPort().endService().endBackend()
                        .build());
            }
        }
        Map<String, String> annotations = new TreeMap<>();
        if (gateway.rateLimit != null) {
            annotations.put("nginx.ingress.kubernetes.io/limit-rps", String.valueOf(gateway.rateLimit.requestsPerSecond));
            annotations.put("nginx.ingress.kubernetes.io/limit-burst-multiplier",
                    String.valueOf(gateway.rateLimit.burstMultiplier));
        }
        var builder = new IngressBuilder()
                .withNewMetadata().withName(StorefrontNames.route(sf)).withLabels(StorefrontNames.labels(sf, "gateway"))
                .withAnnotations(annotations).endMetadata()
                .withNewSpec()
                    .withIngressClassName(gateway.ingressClassName)
                    .addNewRule().withHost(gateway.host).withNewHttp().withPaths(paths).endHttp().endRule()
                .endSpec();
        if (gateway.tlsSecretName != null) {
            builder.editSpec().withTls(new IngressTLSBuilder().withHosts(gateway.host)
                    .withSecretName(gateway.tlsSecretName).build()).endSpec();
        }
        return List.of(builder.build());
    }
}
