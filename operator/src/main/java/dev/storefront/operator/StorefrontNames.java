package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Names and labels of everything a Storefront makes, in one place so dependents and status agree. */
public final class StorefrontNames {
    public static final String MANAGED_BY = "storefront-operator";
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_COMPONENT = "app.kubernetes.io/component";
    public static final String LABEL_PART_OF = "app.kubernetes.io/part-of";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    /** Marks the pods of the shop's own services (not PostgreSQL or NATS), for NetworkPolicies. */
    public static final String LABEL_TIER = Storefront.GROUP + "/tier";
    public static final String TIER_SERVICE = "service";
    /** Informers only watch what the operator labelled, not every Secret in the cluster. */
    public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGED_BY;
    public static final String CONFIG_HASH_ANNOTATION = Storefront.GROUP + "/config-hash";
    /** A digest of every Secret value the pods read: a changed or re-keyed Secret rolls them. */
    public static final String SECRET_HASH_ANNOTATION = Storefront.GROUP + "/secret-hash";

    private StorefrontNames() {
    }

    public static String service(Storefront sf, ShopService service) {
        return sf.getMetadata().getName() + "-" + service.id();
    }

    public static String configMap(Storefront sf, ShopService service) {
        return service(sf, service) + "-config";
    }

    public static String databaseSecret(Storefront sf, ShopService service) {
        return sf.getMetadata().getName() + "-db-" + service.id();
    }

    public static String jwtSecret(Storefront sf) {
        return sf.getMetadata().getName() + "-jwt";
    }

    public static String serviceClientsSecret(Storefront sf) {
        return sf.getMetadata().getName() + "-service-clients";
    }

    public static String adminSecret(Storefront sf) {
        return sf.getMetadata().getName() + "-admin";
    }

    public static String postgres(Storefront sf) {
        return sf.getMetadata().getName() + "-postgres";
    }

    public static String postgresAdminSecret(Storefront sf) {
        return postgres(sf) + "-admin";
    }

    public static String nats(Storefront sf) {
        return sf.getMetadata().getName() + "-nats";
    }

    /** The headless Service a NATS cluster's pods find each other's routes through. */
    public static String natsCluster(Storefront sf) {
        return nats(sf) + "-cluster";
    }

    /** Generated nats-server configuration (it holds the users' passwords, so it is a Secret). */
    public static String natsConfigSecret(Storefront sf) {
        return nats(sf) + "-config";
    }

    /** One service's NATS login. */
    public static String natsSecret(Storefront sf, ShopService service) {
        return nats(sf) + "-" + service.id();
    }

    public static String cnpgCluster(Storefront sf) {
        return sf.getMetadata().getName() + "-db";
    }

    /** A CloudNativePG Database resource of one service (its database and owner role are {@link #database}). */
    public static String cnpgDatabase(Storefront sf, ShopService service) {
        return cnpgCluster(sf) + "-" + service.id();
    }

    public static String cnpgScheduledBackup(Storefront sf) {
        return cnpgCluster(sf) + "-backup";
    }

    /** CloudNativePG writes the superuser's credentials here when enableSuperuserAccess is on. */
    public static String cnpgSuperuserSecret(Storefront sf) {
        return cnpgCluster(sf) + "-superuser";
    }

    public static String route(Storefront sf) {
        return sf.getMetadata().getName();
    }

    /** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes; the names here are ASCII. */
    static final int MAX_IDENTIFIER = 63;
    /** The longest service id plus its underscore: a prefix may use the rest. */
    static final int MAX_PREFIX = MAX_IDENTIFIER - 1 - java.util.Arrays.stream(ShopService.values())
            .mapToInt(s -> s.id().length()).max().orElseThrow();

    /**
     * PostgreSQL identifier for this shop's database and role of a service: {@code <prefix>_<service>}. The default
     * prefix is {@code <namespace>_<name>}, so same-named Storefronts in two namespaces never share a name on one
     * server; too long, it is cut and ends in a hash of the full namespace/name, so it stays unique. Two Storefronts
     * that still map to one name (an explicit namePrefix, or "a-b"/"c" against "a"/"b-c") are kept apart by the
     * ownership mark on each database and role (see DatabaseProvisioner).
     */
    public static String database(Storefront sf, ShopService service) {
        return databasePrefix(sf) + "_" + service.id();
    }

    public static String databasePrefix(Storefront sf) {
        String prefix = sf.getSpec().database.namePrefix;
        if (prefix != null && !prefix.isBlank()) {
            return prefix;
        }
        String namespace = sf.getMetadata().getNamespace() == null ? "default" : sf.getMetadata().getNamespace();
        String full = namespace + "/" + sf.getMetadata().getName();
        prefix = (namespace + "_" + sf.getMetadata().getName()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!Character.isLetter(prefix.charAt(0))) {
            prefix = "sf_" + prefix;
        }
        if (prefix.length() > MAX_PREFIX) {
            String hash = shortHash(full);
            prefix = prefix.substring(0, MAX_PREFIX - hash.length() - 1) + "_" + hash;
        }
        return prefix;
    }

    /** 8 hex digits of SHA-256: enough to tell apart the few Storefronts whose long names share a start. */
    static String shortHash(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, String> labels(Storefront sf, String component) {
        var labels = new LinkedHashMap<String, String>();
        labels.put(LABEL_NAME, "storefront");
        labels.put(LABEL_INSTANCE, sf.getMetadata().getName());
        labels.put(LABEL_COMPONENT, component);
        labels.put(LABEL_PART_OF, "storefront");
        labels.put(LABEL_MANAGED_BY, MANAGED_BY);
        return labels;
    }

    /** The labels that pick a component's pods: stable, so Deployments never need a new selector. */
    public static Map<String, String> selector(Storefront sf, String component) {
        return Map.of(LABEL_INSTANCE, sf.getMetadata().getName(), LABEL_COMPONENT, component);
    }

    public static Map<String, String> serviceLabels(Storefront sf, ShopService service) {
        var labels = labels(sf, service.id());
        labels.put(LABEL_TIER, TIER_SERVICE);
        return labels;
    }
}
