package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes Events about a Storefront (core/v1, what {@code kubectl describe} and {@code kubectl events} show).
 * Deduplicated: the same reason and message for the same Storefront is sent once until something else is said
 * under that reason, so a reconcile loop that keeps finding the same problem does not flood the namespace.
 * Hand-written because JOSDK has no event recorder and fabric8's client only offers the raw Event API.
 */
public final class StorefrontEvents {
    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";
    private static final Logger LOG = LoggerFactory.getLogger(StorefrontEvents.class);
    private static final String COMPONENT = "storefront-operator";

    /** (Storefront, reason) -> the last message sent under it. */
    private final Map<String, String> lastSent = new ConcurrentHashMap<>();

    public void normal(KubernetesClient client, Storefront sf, String reason, String message) {
        send(client, sf, NORMAL, reason, message);
    }

    public void warning(KubernetesClient client, Storefront sf, String reason, String message) {
        send(client, sf, WARNING, reason, message);
    }

    /** Forgets what was sent for a deleted Storefront. */
    public void forget(Storefront sf) {
        String prefix = ResourceID.fromResource(sf) + "|";
        lastSent.keySet().removeIf(k -> k.startsWith(prefix));
    }

    private void send(KubernetesClient client, Storefront sf, String type, String reason, String message) {
        String key = ResourceID.fromResource(sf) + "|" + reason;
        if (message.equals(lastSent.put(key, message))) {
            return;
        }
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        var metadata = sf.getMetadata();
        var event = new EventBuilder()
                .withNewMetadata()
                    .withNamespace(metadata.getNamespace())
                    // the form kubectl and the kubelet use: <object>.<unique suffix>
                    .withName(metadata.getName() + "." + Long.toHexString(System.nanoTime()))
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(sf.getApiVersion()).withKind(sf.getKind())
                        .withNamespace(metadata.getNamespace()).withName(metadata.getName()).withUid(metadata.getUid())
                        .withResourceVersion(metadata.getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withReportingComponent(COMPONENT).withNewSource().withComponent(COMPONENT).endSource()
                .build();
        try {
            client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            // an Event is a courtesy: never fail a reconcile over it, but try again next time
            lastSent.remove(key);
            LOG.debug("Storefront {}: could not record event {}: {}", ResourceID.fromResource(sf), reason, e.getMessage());
        }
    }
}
