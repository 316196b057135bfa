package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The user's Secrets a Storefront names (external database admin, Stripe, SMTP, NATS credentials, TLS), watched so
 * that a change reconciles that Storefront at once instead of at the next resync. An index over the Storefronts in
 * the operator's cache maps a Secret to the Storefronts that name it; any other Secret triggers nothing. The cache
 * keeps the Secrets' metadata only: the values are read from the API server where they are used, so the operator
 * never holds the values of other applications' Secrets in memory. The source only triggers: it maps a Storefront to
 * no secondary resource, so {@code context.getSecondaryResources(Secret.class)} stays the generated Secrets, which the
 * bulk dependent deletes when they are not desired (mapped, the user's Secret was deleted by it on its first change).
 */
public final class ReferencedSecrets {
    /** The event source's name: the generated Secrets have their own (the dependent's). */
    public static final String EVENT_SOURCE = "referenced-secrets";
    static final String INDEX = "storefront-secret-names";
    /** Generated Secrets carry the managed-by label and are watched by their dependent already. */
    static final String NOT_GENERATED = StorefrontNames.LABEL_MANAGED_BY + "!=" + StorefrontNames.MANAGED_BY;

    private ReferencedSecrets() {
    }

    /** The names of the user's Secrets this Storefront's reconcile reads. */
    public static Set<String> names(Storefront sf) {
        var spec = sf.getSpec();
        var names = Stream.of(
                spec.database.mode == StorefrontSpec.DatabaseMode.External && spec.database.external != null
                        && spec.database.external.adminSecretRef != null ? spec.database.external.adminSecretRef.name : null,
                spec.payment.secretRef == null ? null : spec.payment.secretRef.name,
                spec.mail.secretRef == null ? null : spec.mail.secretRef.name,
                spec.messaging.external == null || spec.messaging.external.credentialsSecretRef == null ? null
                        : spec.messaging.external.credentialsSecretRef.name,
                spec.gateway == null ? null : spec.gateway.tlsSecretName);
        return names.filter(Objects::nonNull).collect(Collectors.toCollection(TreeSet::new));
    }

    static InformerEventSource<Secret, Storefront> eventSource(EventSourceContext<Storefront> context) {
        var storefronts = context.getPrimaryCache();
        storefronts.addIndexer(INDEX, sf -> names(sf).stream().map(name -> key(sf.getMetadata().getNamespace(), name)).toList());
        var configuration = InformerEventSourceConfiguration.from(Secret.class, Storefront.class)
                .withName(EVENT_SOURCE)
                .withNamespacesInheritedFromController()
                .withLabelSelector(NOT_GENERATED)
                .withItemStore(new TransformingItemStore<>(ReferencedSecrets::withoutValues))
                .withPrimaryToSecondaryMapper((Storefront sf) -> Set.<ResourceID>of())
                .withSecondaryToPrimaryMapper(secret -> storefronts
                        .byIndex(INDEX, key(secret.getMetadata().getNamespace(), secret.getMetadata().getName())).stream()
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    /** What the cache keeps of a Secret: its metadata and type, no values. */
    static Secret withoutValues(Secret secret) {
        var metadata = secret.getMetadata();
        metadata.setManagedFields(null);
        return new SecretBuilder().withMetadata(metadata).withType(secret.getType()).build();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
