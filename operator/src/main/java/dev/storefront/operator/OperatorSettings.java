package dev.storefront.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's own settings, from environment variables the chart sets.
 *
 * @param watchNamespaces    WATCH_NAMESPACES, comma separated; empty means all namespaces
 * @param operatorNamespace  OPERATOR_NAMESPACE: where the operator runs (lease, and let through to in-cluster PostgreSQL)
 * @param httpPort           HTTP_PORT: health (/healthz, /readyz) and Prometheus metrics (/metrics)
 * @param leaderElection     LEADER_ELECTION: only one replica reconciles at a time
 * @param leaseName          LEADER_ELECTION_LEASE_NAME
 */
public record OperatorSettings(Set<String> watchNamespaces, String operatorNamespace, int httpPort,
                               boolean leaderElection, String leaseName) {
    public static final String DEFAULT_NAMESPACE = "storefront-system";

    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        Set<String> namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new OperatorSettings(namespaces,
                env.getOrDefault("OPERATOR_NAMESPACE", DEFAULT_NAMESPACE),
                Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080")),
                Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", "true")),
                env.getOrDefault("LEADER_ELECTION_LEASE_NAME", "storefront-operator"));
    }

    /**
     * SERVER_SIDE_APPLY (default true): patch with server-side apply, as every real API server supports; false only
     * for an API server that lacks it (fabric8's mock server, which the cluster-in-a-box test runs this image against).
     */
    public boolean serverSideApply() {
        return !"false".equalsIgnoreCase(System.getenv().getOrDefault("SERVER_SIDE_APPLY", "true"));
    }

    /** System property that overrides CLEANUP_TIMEOUT (tests run the operator in their own JVM). */
    public static final String CLEANUP_TIMEOUT_PROPERTY = "storefront.operator.cleanup-timeout";

    /**
     * CLEANUP_TIMEOUT (ISO-8601, default PT10M): how long a deleted Storefront's finalizer keeps retrying a cleanup
     * that cannot run (admin Secret gone, server unreachable) before it gives up, says so and lets the deletion finish.
     */
    public static java.time.Duration cleanupTimeout() {
        String value = System.getProperty(CLEANUP_TIMEOUT_PROPERTY, System.getenv().getOrDefault("CLEANUP_TIMEOUT", "PT10M"));
        return java.time.Duration.parse(value);
    }

    /** Read by dependents that JOSDK instantiates itself (NetworkPolicies let the operator reach PostgreSQL). */
    public static String currentOperatorNamespace() {
        return System.getenv().getOrDefault("OPERATOR_NAMESPACE", DEFAULT_NAMESPACE);
    }

    /** The operator's version as packaged (jar manifest), "dev" when run from classes. */
    public static String version() {
        String version = OperatorSettings.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
