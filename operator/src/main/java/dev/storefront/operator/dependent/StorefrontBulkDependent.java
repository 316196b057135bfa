package dev.storefront.operator.dependent;

import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All resources of one kind that a Storefront needs. Being a bulk dependent, whatever is no longer in the
 * desired list (a service without autoscaling, a removed gateway) is deleted by the framework.
 * Each subclass is the only dependent of its kind, so {@code context.getSecondaryResources(Kind.class)} is unambiguous.
 */
public abstract class StorefrontBulkDependent<R extends HasMetadata> extends KubernetesDependentResource<R, Storefront>
        implements CRUDKubernetesBulkDependentResource<R, Storefront>, KubernetesBulkDependentResource<R, Storefront>,
        GarbageCollected<Storefront> {

    protected StorefrontBulkDependent(Class<R> type) {
        super(type);
    }

    /** What should exist for this Storefront; names must be unique within the list. */
    protected abstract List<R> desiredList(Storefront storefront, Context<Storefront> context);

    @Override
    public Map<ResourceID, R> desiredResources(Storefront storefront, Context<Storefront> context) {
        var desired = new LinkedHashMap<ResourceID, R>();
        for (R resource : desiredList(storefront, context)) {
            resource.getMetadata().setNamespace(storefront.getMetadata().getNamespace());
            desired.put(ResourceID.fromResource(resource), resource);
        }
        return desired;
    }
}
