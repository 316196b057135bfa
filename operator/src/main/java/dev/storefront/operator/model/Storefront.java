package dev.storefront.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One shop: the operator turns it into databases, Secrets, Deployments, Services and routes. */
@Group(Storefront.GROUP)
@Version(Storefront.VERSION)
@ShortNames("sf")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Version", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
        type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
public class Storefront extends CustomResource<StorefrontSpec, StorefrontStatus> implements Namespaced {
    public static final String GROUP = "storefront.dev";
    public static final String VERSION = "v1alpha1";
    /** Annotation that pauses reconciliation like spec.paused does, for a quick kubectl annotate. */
    public static final String PAUSED_ANNOTATION = GROUP + "/paused";
    /** Annotation whose every new value rotates auth's JWT signing key (the previous key stays in the Secret). */
    public static final String ROTATE_SIGNING_KEY_ANNOTATION = GROUP + "/rotate-signing-key";

    /** Annotation that lets a deletion finish without dropping databases (reclaimPolicy Delete) or waiting for it. */
    public static final String SKIP_CLEANUP_ANNOTATION = GROUP + "/skip-cleanup";

    /** True when the {@value #SKIP_CLEANUP_ANNOTATION} annotation says "true". */
    public boolean skipCleanup() {
        var annotations = getMetadata().getAnnotations();
        return annotations != null && "true".equalsIgnoreCase(annotations.get(SKIP_CLEANUP_ANNOTATION));
    }

    /** The value of the {@value #ROTATE_SIGNING_KEY_ANNOTATION} annotation, or null. */
    public String rotationRequest() {
        var annotations = getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ROTATE_SIGNING_KEY_ANNOTATION);
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    protected StorefrontSpec initSpec() {
        return new StorefrontSpec();
    }

    /** True when spec.paused or the {@value #PAUSED_ANNOTATION} annotation says "true". */
    public boolean paused() {
        var annotations = getMetadata().getAnnotations();
        return Boolean.TRUE.equals(getSpec().paused)
                || (annotations != null && "true".equalsIgnoreCase(annotations.get(PAUSED_ANNOTATION)));
    }
}
