package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.Arrays;
import java.util.List;

/** A CPU-based HorizontalPodAutoscaler for each service whose spec has autoscaling. */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class AutoscalersDependent extends StorefrontBulkDependent<HorizontalPodAutoscaler> {

    public AutoscalersDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected List<HorizontalPodAutoscaler> desiredList(Storefront sf, Context<Storefront> context) {
        return Arrays.stream(ShopService.values())
                .filter(service -> sf.getSpec().services.get(service).autoscaling != null)
                .map(service -> {
                    var autoscaling = sf.getSpec().services.get(service).autoscaling;
                    String name = StorefrontNames.service(sf, service);
                    return new HorizontalPodAutoscalerBuilder()
                            .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, service.id())).endMetadata()
                            .withNewSpec()
                                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                                .endScaleTargetRef()
                                .withMinReplicas(autoscaling.minReplicas)
                                .withMaxReplicas(autoscaling.maxReplicas)
                                .addNewMetric().withType("Resource").withNewResource().withName("cpu")
                                    .withNewTarget().withType("Utilization")
                                    .withAverageUtilization(autoscaling.targetCPUUtilizationPercentage)
                                    .endTarget().endResource().endMetric()
                            .endSpec()
                            .build();
                })
                .toList();
    }
}
