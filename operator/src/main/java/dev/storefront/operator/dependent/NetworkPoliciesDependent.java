package dev.storefront.operator.dependent;

import dev.storefront.operator.OperatorSettings;
import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keeps traffic to the shop's pods to what it needs. Service pods take connections only from each other (that is
 * where /internal calls come from) and from the gateway's controller namespace, which is only ever routed /api and
 * /; PostgreSQL takes them from the services and the operator (which provisions databases); NATS from the services.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class NetworkPoliciesDependent extends StorefrontBulkDependent<NetworkPolicy> {

    public NetworkPoliciesDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected List<NetworkPolicy> desiredList(Storefront sf, Context<Storefront> context) {
        var spec = sf.getSpec();
        String instance = sf.getMetadata().getName();
        LabelSelector servicePods = new LabelSelectorBuilder()
                .withMatchLabels(Map.of(StorefrontNames.LABEL_INSTANCE, instance,
                        StorefrontNames.LABEL_TIER, StorefrontNames.TIER_SERVICE))
                .build();
        var policies = new ArrayList<NetworkPolicy>();

        var serviceRules = new ArrayList<NetworkPolicyIngressRule>();
        serviceRules.add(fromPods(servicePods, ShopService.PORT));
        if (spec.gateway != null) {
            serviceRules.add(fromNamespace(spec.gateway.controllerNamespace, ShopService.PORT));
        }
        policies.add(policy(sf, sf.getMetadata().getName() + "-services", "services", servicePods, serviceRules));

        if (spec.database.mode == StorefrontSpec.DatabaseMode.InCluster) {
            policies.add(policy(sf, StorefrontNames.postgres(sf), StatefulSetsDependent.POSTGRES,
                    selector(sf, StatefulSetsDependent.POSTGRES),
                    List.of(fromPods(servicePods, 5432),
                            fromNamespace(OperatorSettings.currentOperatorNamespace(), 5432))));
        }
        if (spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            policies.add(policy(sf, StorefrontNames.nats(sf), StatefulSetsDependent.NATS,
                    selector(sf, StatefulSetsDependent.NATS), List.of(fromPods(servicePods, 4222))));
        }
        return policies;
    }

    private static LabelSelector selector(Storefront sf, String component) {
        return new LabelSelectorBuilder().withMatchLabels(StorefrontNames.selector(sf, component)).build();
    }

    private static NetworkPolicy policy(Storefront sf, String name, String component, LabelSelector pods,
                                        List<NetworkPolicyIngressRule> rules) {
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                .withNewSpec()
                    .withPodSelector(pods)
                    .withPolicyTypes("Ingress")
                    .withIngress(rules)
                .endSpec()
                .build();
    }

    private static NetworkPolicyIngressRule fromPods(LabelSelector pods, int port) {
        return new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withPodSelector(pods).endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .build();
    }

    private static NetworkPolicyIngressRule fromNamespace(String namespace, int port) {
        return new NetworkPolicyIngressRuleBuilder()
                .addNewFrom().withNewNamespaceSelector()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace)).endNamespaceSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .build();
    }
}
