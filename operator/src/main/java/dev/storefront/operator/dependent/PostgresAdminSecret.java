package dev.storefront.operator.dependent;

import dev.storefront.operator.SecretValues;
import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;

/**
 * The in-cluster PostgreSQL's superuser Secret. Unlike the other generated Secrets it has no owner reference: the
 * data volume outlives the Storefront under reclaimPolicy Retain (the StatefulSet's PVC retention policy), and the
 * volume is useless without the password initdb wrote into it. A Storefront of the same name made later adopts the
 * Secret, so its PostgreSQL starts on the kept volume and the operator logs in. Under Delete the finalizer deletes it.
 * Kept out of GeneratedSecretsDependent because a bulk dependent maps its resources through owner references.
 */
public final class PostgresAdminSecret {
    /** Which Storefront made it, for a person wondering why it outlived one. */
    public static final String RETAINED_FOR_ANNOTATION = Storefront.GROUP + "/retained-for";

    private PostgresAdminSecret() {
    }

    /** Creates the Secret when absent; an existing one keeps its values and loses any Storefront owner reference. */
    public static Secret reconcile(KubernetesClient client, Storefront sf) {
        String namespace = sf.getMetadata().getNamespace();
        var secrets = client.secrets().inNamespace(namespace);
        Secret existing = secrets.withName(StorefrontNames.postgresAdminSecret(sf)).get();
        if (existing == null) {
            return secrets.resource(new SecretBuilder()
                    .withNewMetadata().withName(StorefrontNames.postgresAdminSecret(sf)).withNamespace(namespace)
                        .withLabels(StorefrontNames.labels(sf, "postgres"))
                        .withAnnotations(Map.of(RETAINED_FOR_ANNOTATION, namespace + "/" + sf.getMetadata().getName()))
                    .endMetadata()
                    .withType("Opaque")
                    .addToData("username", GeneratedSecretsDependent.encode("postgres"))
                    .addToData("password", GeneratedSecretsDependent.encode(SecretValues.password(32)))
                    .build()).create();
        }
        var owners = existing.getMetadata().getOwnerReferences();
        if (owners != null && owners.stream().anyMatch(o -> "Storefront".equals(o.getKind()))) {
            // made by an earlier operator version with an owner reference: garbage collection would take it
            return secrets.withName(existing.getMetadata().getName()).edit(s -> {
                s.getMetadata().getOwnerReferences().removeIf(o -> "Storefront".equals(o.getKind()));
                return s;
            });
        }
        return existing;
    }

    public static void delete(KubernetesClient client, Storefront sf) {
        client.secrets().inNamespace(sf.getMetadata().getNamespace()).withName(StorefrontNames.postgresAdminSecret(sf)).delete();
    }
}
