package dev.storefront.operator.dependent;

import dev.storefront.operator.ServiceEnvironment;
import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.Arrays;
import java.util.List;

/** One ConfigMap per service with its plain settings (the pods load it with envFrom). */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class ConfigMapsDependent extends StorefrontBulkDependent<ConfigMap> {

    public ConfigMapsDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected List<ConfigMap> desiredList(Storefront sf, Context<Storefront> context) {
        return Arrays.stream(ShopService.values())
                .map(service -> new ConfigMapBuilder()
                        .withNewMetadata().withName(StorefrontNames.configMap(sf, service))
                        .withLabels(StorefrontNames.labels(sf, service.id())).endMetadata()
                        .withData(ServiceEnvironment.configMapData(sf, service))
                        .build())
                .toList();
    }
}
