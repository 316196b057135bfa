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
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Keeps traffic of the shop's pods to what it needs, both ways. In: service pods take connections from each other
 * (that is where /internal calls come from), from the gateway's controller namespace (only ever routed /api, /ai and /)
 * and from the monitoring namespace (metrics); PostgreSQL from the services with a database and the operator
 * (which provisions them); NATS from the services that use messaging (and its cluster peers). Out: every pod may
 * resolve names (port 53) and reach the other service pods; only services with a database reach PostgreSQL, only
 * those using messaging reach NATS, and web reaches neither. External servers (a database, NATS, Stripe, SMTP)
 * cannot be named by a NetworkPolicy, so egress to them is opened by port only, for the pods that use them.
 * Catalog fetches competitors' price feeds from admin-given URLs: it may reach http(s) ports on public addresses
 * only (never the cluster's, the nodes' or a cloud metadata endpoint), the cluster's half of the SSRF defence
 * whose other half, catalog's own address check, a DNS answer that changes between check and connect could pass.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class NetworkPoliciesDependent extends StorefrontBulkDependent<NetworkPolicy> {
    static final int DNS_PORT = 53;
    static final int POSTGRES_PORT = 5432;

    public NetworkPoliciesDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected List<NetworkPolicy> desiredList(Storefront sf, Context<Storefront> context) {
        var spec = sf.getSpec();
        String name = sf.getMetadata().getName();
        LabelSelector servicePods = new LabelSelectorBuilder()
                .withMatchLabels(Map.of(StorefrontNames.LABEL_INSTANCE, name,
                        StorefrontNames.LABEL_TIER, StorefrontNames.TIER_SERVICE))
                .build();
        LabelSelector databaseClients = servicesWhere(sf, ShopService::hasDatabase);
        LabelSelector messagingClients = servicesWhere(sf, ShopService::usesMessaging);
        String monitoring = spec.monitoring == null ? null : spec.monitoring.namespace;
        var policies = new ArrayList<NetworkPolicy>();

        var serviceIngress = new ArrayList<NetworkPolicyIngressRule>();
        serviceIngress.add(from(pods(servicePods), ShopService.PORT));
        if (spec.gateway != null) {
            serviceIngress.add(from(namespace(spec.gateway.controllerNamespace), ShopService.PORT));
        }
        if (monitoring != null) {
            serviceIngress.add(from(namespace(monitoring), ShopService.PORT));
        }
        var serviceEgress = new ArrayList<NetworkPolicyEgressRule>();
        serviceEgress.add(dns());
        serviceEgress.add(to(List.of(pods(servicePods)), ShopService.PORT));
        policies.add(policy(sf, name + "-services", "services", servicePods, serviceIngress, serviceEgress));

        // egress of the database clients to wherever the database is
        NetworkPolicyEgressRule database = switch (spec.database.mode) {
            case InCluster -> to(List.of(pods(selector(sf, StatefulSetsDependent.POSTGRES))), POSTGRES_PORT);
            case CloudNativePG -> to(List.of(pods(new LabelSelectorBuilder()
                    .withMatchLabels(Map.of("cnpg.io/cluster", StorefrontNames.cnpgCluster(sf))).build())), POSTGRES_PORT);
            case External -> to(List.of(), spec.database.external.port);
        };
        policies.add(policy(sf, name + "-database-clients", "services", databaseClients, null, List.of(database)));

        NetworkPolicyEgressRule messaging = spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster
                ? to(List.of(pods(selector(sf, StatefulSetsDependent.NATS))), NatsConfig.CLIENT_PORT)
                : to(List.of(), externalNatsPort(spec.messaging.external));
        policies.add(policy(sf, name + "-messaging-clients", "services", messagingClients, null, List.of(messaging)));

        if (spec.payment.provider == StorefrontSpec.PaymentProvider.stripe) {
            policies.add(policy(sf, name + "-payment-provider", "services", servicesWhere(sf, s -> s == ShopService.PAYMENT),
                    null, List.of(to(List.of(), 443))));
        }
        policies.add(policy(sf, name + "-price-feeds", "services", servicesWhere(sf, s -> s == ShopService.CATALOG),
                null, List.of(publicWeb())));
        if (spec.objectStorage != null) {
            policies.add(policy(sf, name + "-object-storage", "services", servicesWhere(sf, s -> s == ShopService.CATALOG),
                    null, List.of(to(List.of(), objectStoragePort(spec.objectStorage)))));
        }
        if (spec.mail.host != null) {
            policies.add(policy(sf, name + "-mail", "services", servicesWhere(sf, s -> s == ShopService.NOTIFY),
                    null, List.of(to(List.of(), spec.mail.port))));
        }

        if (spec.database.mode == StorefrontSpec.DatabaseMode.InCluster) {
            policies.add(policy(sf, StorefrontNames.postgres(sf), StatefulSetsDependent.POSTGRES,
                    selector(sf, StatefulSetsDependent.POSTGRES),
                    List.of(from(pods(databaseClients), POSTGRES_PORT),
                            from(namespace(OperatorSettings.currentOperatorNamespace()), POSTGRES_PORT)),
                    List.of(dns())));
        }
        if (spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            LabelSelector natsPods = selector(sf, StatefulSetsDependent.NATS);
            var ingress = new ArrayList<>(List.of(from(pods(messagingClients), NatsConfig.CLIENT_PORT)));
            var egress = new ArrayList<>(List.of(dns()));
            if (NatsConfig.replicas(sf) > 1) {
                ingress.add(from(pods(natsPods), NatsConfig.CLUSTER_PORT));
                egress.add(to(List.of(pods(natsPods)), NatsConfig.CLUSTER_PORT));
            }
            if (monitoring != null) {
                ingress.add(from(namespace(monitoring), NatsConfig.MONITOR_PORT));
            }
            policies.add(policy(sf, StorefrontNames.nats(sf), StatefulSetsDependent.NATS, natsPods, ingress, egress));
        }
        return policies;
    }

    /** The shop's service pods whose service satisfies the test, by component label. */
    private static LabelSelector servicesWhere(Storefront sf, Predicate<ShopService> test) {
        var components = java.util.Arrays.stream(ShopService.values()).filter(test).map(ShopService::id).toList();
        return new LabelSelectorBuilder()
                .withMatchLabels(Map.of(StorefrontNames.LABEL_INSTANCE, sf.getMetadata().getName(),
                        StorefrontNames.LABEL_TIER, StorefrontNames.TIER_SERVICE))
                .addNewMatchExpression().withKey(StorefrontNames.LABEL_COMPONENT).withOperator("In")
                .withValues(components).endMatchExpression()
                .build();
    }

    private static int externalNatsPort(StorefrontSpec.ExternalNats external) {
        // with a credentials Secret the URL may still name the server; fall back to NATS's default port
        try {
            int port = URI.create(external.url.split(",")[0].trim()).getPort();
            return port > 0 ? port : NatsConfig.CLIENT_PORT;
        } catch (IllegalArgumentException e) {
            return NatsConfig.CLIENT_PORT;
        }
    }

    private static LabelSelector selector(Storefront sf, String component) {
        return new LabelSelectorBuilder().withMatchLabels(StorefrontNames.selector(sf, component)).build();
    }

    /** The endpoint's port: given, or 80 / 443 by scheme; AWS S3 (no endpoint) is 443. */
    static int objectStoragePort(StorefrontSpec.ObjectStorage storage) {
        if (storage.endpoint == null) {
            return 443;
        }
        java.net.URI uri = java.net.URI.create(storage.endpoint);
        return uri.getPort() > 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
    }

    /** ingress null: the policy restricts egress only (the pods' ingress is another policy's). */
    private static NetworkPolicy policy(Storefront sf, String name, String component, LabelSelector pods,
                                        List<NetworkPolicyIngressRule> ingress, List<NetworkPolicyEgressRule> egress) {
        var types = new ArrayList<String>();
        if (ingress != null) {
            types.add("Ingress");
        }
        types.add("Egress");
        return new NetworkPolicyBuilder()
                .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                .withNewSpec()
                    .withPodSelector(pods)
                    .withPolicyTypes(types)
                    .withIngress(ingress == null ? List.of() : ingress)
                    .withEgress(egress)
                .endSpec()
                .build();
    }

    private static NetworkPolicyPeer pods(LabelSelector pods) {
        return new NetworkPolicyPeerBuilder().withPodSelector(pods).build();
    }

    private static NetworkPolicyPeer namespace(String namespace) {
        return new NetworkPolicyPeerBuilder().withNewNamespaceSelector()
                .withMatchLabels(Map.of("kubernetes.io/metadata.name", namespace)).endNamespaceSelector().build();
    }

    private static NetworkPolicyIngressRule from(NetworkPolicyPeer peer, int port) {
        return new NetworkPolicyIngressRuleBuilder().withFrom(peer)
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .build();
    }

    /** peers empty: any destination on that port (a server outside the cluster, known only by name). */
    private static NetworkPolicyEgressRule to(List<NetworkPolicyPeer> peers, int port) {
        return new NetworkPolicyEgressRuleBuilder().withTo(peers)
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(port)).endPort()
                .build();
    }

    /** Private, loopback, link-local (cloud metadata), carrier-grade NAT and other non-public ranges. */
    static final List<String> NON_PUBLIC_V4 = List.of("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
            "172.16.0.0/12", "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "240.0.0.0/4");
    static final List<String> NON_PUBLIC_V6 = List.of("::1/128", "::ffff:0:0/96", "fc00::/7", "fe80::/10");

    /** http and https to any public address (price feeds). */
    private static NetworkPolicyEgressRule publicWeb() {
        return new NetworkPolicyEgressRuleBuilder()
                .addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").withExcept(NON_PUBLIC_V4).endIpBlock().endTo()
                .addNewTo().withNewIpBlock().withCidr("::/0").withExcept(NON_PUBLIC_V6).endIpBlock().endTo()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(80)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(443)).endPort()
                .build();
    }

    /** Name resolution, wherever the cluster's DNS runs (a kube-dns pod, or a node-local cache on the host). */
    private static NetworkPolicyEgressRule dns() {
        return new NetworkPolicyEgressRuleBuilder()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString(DNS_PORT)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(DNS_PORT)).endPort()
                .build();
    }
}
