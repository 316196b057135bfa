package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;

import java.util.Objects;

/**
 * Which updates of a Storefront start a reconcile: a new generation (spec), a changed annotation (the pause and
 * skip-cleanup annotations act at once; JOSDK's generation-aware filter alone would ignore them until the next
 * resync), finalizers and the start of a deletion. The operator's own status writes do not (not even the cleanup's
 * while it retries on its own schedule), so they cause no reconcile loop.
 */
public class SpecOrAnnotationChanged implements OnUpdateFilter<Storefront> {
    @Override
    public boolean accept(Storefront updated, Storefront old) {
        var now = updated.getMetadata();
        var before = old.getMetadata();
        return !Objects.equals(now.getGeneration(), before.getGeneration())
                || !Objects.equals(now.getAnnotations(), before.getAnnotations())
                || !Objects.equals(now.getFinalizers(), before.getFinalizers())
                || (now.getDeletionTimestamp() != null && before.getDeletionTimestamp() == null);
    }
}
