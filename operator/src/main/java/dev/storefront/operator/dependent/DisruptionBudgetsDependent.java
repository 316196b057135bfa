package dev.storefront.operator.dependent;

import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

import java.util.Arrays;
import java.util.List;

/**
 * A PodDisruptionBudget for each service that runs more than one pod. With a single pod a budget would only
 * block node drains, so none is made.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class DisruptionBudgetsDependent extends StorefrontBulkDependent<PodDisruptionBudget> {

    public DisruptionBudgetsDependent() {
        super(PodDisruptionBudget.class);
    }

    public static boolean needsBudget(Storefront sf, ShopService service) {
        var spec = sf.getSpec().services.get(service);
        int least = spec.autoscaling != null ? spec.autoscaling.minReplicas : spec.replicas;
        return least > 1;
    }

    @Override
    protected List<PodDisruptionBudget> desiredList(Storefront sf, Context<Storefront> context) {
        return Arrays.stream(ShopService.values())
                .filter(service -> needsBudget(sf, service))
                .map(service -> new PodDisruptionBudgetBuilder()
                        .withNewMetadata().withName(StorefrontNames.service(sf, service))
                        .withLabels(StorefrontNames.labels(sf, service.id())).endMetadata()
                        .withNewSpec()
                            .withMaxUnavailable(new IntOrString(1))
                            .withNewSelector().withMatchLabels(StorefrontNames.selector(sf, service.id())).endSelector()
                        .endSpec()
                        .build())
                .toList();
    }
}
