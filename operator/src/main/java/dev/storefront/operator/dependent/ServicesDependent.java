package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.ArrayList;
import java.util.List;

/** A ClusterIP Service per shop service, plus the in-cluster PostgreSQL and NATS Services when chosen. */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class ServicesDependent extends StorefrontBulkDependent<Service> {

    public ServicesDependent() {
        super(Service.class);
    }

    @Override
    protected List<Service> desiredList(Storefront sf, Context<Storefront> context) {
        var services = new ArrayList<Service>();
        for (ShopService service : ShopService.values()) {
            services.add(service(sf, StorefrontNames.service(sf, service), service.id(),
                    port("http", ShopService.PORT, "http")));
        }
        if (sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.InCluster) {
            services.add(service(sf, StorefrontNames.postgres(sf), StatefulSetsDependent.POSTGRES,
                    port("postgres", 5432, "postgres")));
        }
        if (sf.getSpec().messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            services.add(service(sf, StorefrontNames.nats(sf), StatefulSetsDependent.NATS,
                    port("client", 4222, "client")));
            if (NatsConfig.replicas(sf) > 1) {
                // the cluster's pods resolve each other (routes) by name, also before they are ready
                Service headless = service(sf, StorefrontNames.natsCluster(sf), StatefulSetsDependent.NATS,
                        port("cluster", NatsConfig.CLUSTER_PORT, "cluster"));
                headless.getSpec().setClusterIP("None");
                headless.getSpec().setPublishNotReadyAddresses(true);
                services.add(headless);
            }
        }
        return services;
    }

    private static Service service(Storefront sf, String name, String component, ServicePort port) {
        return new ServiceBuilder()
                .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(StorefrontNames.selector(sf, component))
                    .withPorts(port)
                .endSpec()
                .build();
    }

    private static ServicePort port(String name, int port, String targetPort) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withTargetPort(new IntOrString(targetPort)).build();
    }
}
