package dev.storefront.common;

import java.util.List;
import java.util.Map;

/**
 * What one service is, as every other part of the platform needs to know it: its name, the port it
 * listens on when each service runs in its own process (split mode; in Kubernetes every pod listens on
 * {@link ServiceRegistry#CLUSTER_PORT}), the public path prefixes the gateway routes to it, the
 * {@code /internal} prefixes only other services call, whether it publishes events (and so runs an
 * outbox relay), the events it consumes with the named handler class of each, and its background jobs.
 *
 * @param name             auth, catalog, …
 * @param splitPort        its own port in split mode
 * @param publicPrefixes   routed by the gateway / Ingress / HTTPRoute
 * @param internalPrefixes never routed from outside
 * @param publishesEvents  appends to its outbox, so runs a relay
 * @param consumes         event type → simple name of the handler class in the service's package
 * @param jobs             names of its background jobs
 * @param backend          owns a database and uses NATS (web does neither)
 */
public record ServiceDefinition(String name, int splitPort, List<String> publicPrefixes, List<String> internalPrefixes,
                                boolean publishesEvents, Map<String, String> consumes, List<String> jobs, boolean backend) {
    public ServiceDefinition {
        publicPrefixes = List.copyOf(publicPrefixes);
        internalPrefixes = List.copyOf(internalPrefixes);
        consumes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(consumes));
        jobs = List.copyOf(jobs);
    }

    /** The main class of its own process: {@code dev.storefront.<name>.Main}. */
    public String mainClass() {
        return "dev.storefront." + name + ".Main";
    }

    /** Whether a request path belongs to one of its public prefixes. */
    public boolean servesPublicPath(String path) {
        return publicPrefixes.stream().anyMatch(prefix -> prefix.equals("/")
                || path.equals(prefix) || path.startsWith(prefix + "/"));
    }
}
