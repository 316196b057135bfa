package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment of one service's pods, using exactly the variables of docs/contracts.md: plain values go into
 * the service's ConfigMap, credentials are secretKeyRefs, and spec env overrides come last and win.
 */
public final class ServiceEnvironment {
    public static final String JWT_KEY = "signing-key.pem";
    /** The key before the last rotation: auth keeps verifying its tokens until they expire. */
    public static final String PREVIOUS_JWT_KEY = "previous-signing-key.pem";
    public static final String CLIENTS_KEY = "clients";
    public static final String ISSUER = "storefront-auth";
    /** The process's own stop bound (storefront.shutdown.timeout-ms, default 25 s); the pod's grace period allows for it. */
    public static final long SHUTDOWN_TIMEOUT_SECONDS = 25;

    private ServiceEnvironment() {
    }

    /**
     * The environment variable Helidon reads as config key {@code key}: dots become underscores and
     * dashes {@code _DASH_} (so {@code storefront.auth.signing-key} is {@code STOREFRONT_AUTH_SIGNING_DASH_KEY}).
     */
    public static String envName(String key) {
        return key.replace("-", "_DASH_").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Plain (non-secret) settings, the data of the service's ConfigMap. Sorted so the config hash is stable. */
    public static Map<String, String> configMapData(Storefront sf, ShopService service) {
        var spec = sf.getSpec();
        var data = new TreeMap<String, String>();
        data.put("SERVER_PORT", String.valueOf(ShopService.PORT));
        // the container's preStop sleep is the drain delay; the process then stops within its own bound
        data.put(envName("storefront.shutdown.drain-ms"), "0");
        data.put(envName("storefront.shutdown.timeout-ms"),
                String.valueOf(java.util.concurrent.TimeUnit.SECONDS.toMillis(SHUTDOWN_TIMEOUT_SECONDS)));
        if (spec.observability != null && spec.observability.otlpEndpoint != null) { // every service, web too
            data.put(envName("storefront.tracing.otlp-endpoint"), spec.observability.otlpEndpoint);
            data.put(envName("storefront.tracing.sampling-ratio"), String.valueOf(
                    spec.observability.samplingRatio == null ? 1.0 : spec.observability.samplingRatio));
        }
        if (!service.isBackend()) {
            return data;
        }
        data.put(envName("storefront.db.url"), DatabaseEndpoint.of(sf).jdbcUrl(sf, service));
        // the operator provisions the database; services must not try to create it with their login role
        data.put(envName("storefront.db.create-database"), "false");
        if (spec.messaging.replicas != null && spec.messaging.replicas != 1) {
            data.put(envName("storefront.events.replicas"), String.valueOf(spec.messaging.replicas));
        }
        if (spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            data.put("NATS_URL", "nats://" + StorefrontNames.nats(sf) + ":4222");
        } else if (spec.messaging.external.credentialsSecretRef == null) {
            data.put("NATS_URL", spec.messaging.external.url);
        }
        data.put(envName("storefront.auth.jwks-url"), serviceUrl(sf, ShopService.AUTH) + "/api/auth/.well-known/jwks.json");
        data.put(envName("storefront.auth.issuer"), ISSUER);
        for (ShopService other : ShopService.backends()) {
            if (other != service) {
                data.put(envName("storefront.services." + other.id() + ".url"), serviceUrl(sf, other));
            }
        }
        data.put(envName("storefront.service-client.id"), service.id());
        data.put(envName("storefront.demo-data"), String.valueOf(Boolean.TRUE.equals(spec.demoData)));
        switch (service) {
            case AUTH -> {
                data.put(envName("storefront.auth.admin.email"), spec.admin.email);
                // behind the ingress every peer is the ingress: rate-limit by the client it forwards
                data.put(envName("storefront.auth.client-ip-header"), "X-Forwarded-For");
            }
            case PAYMENT -> data.put(envName("storefront.payment.provider"), spec.payment.provider.name());
            case CATALOG -> objectStorage(spec.objectStorage, data);
            // per-client rate limits of POST /api/analytics/events: behind the ingress every peer is the ingress
            case ANALYTICS -> data.put(envName("storefront.analytics.client-ip-header"), "X-Forwarded-For");
            case NOTIFY -> {
                if (spec.mail.host != null) {
                    data.put(envName("storefront.mail.host"), spec.mail.host);
                    data.put(envName("storefront.mail.port"), String.valueOf(spec.mail.port));
                    data.put(envName("storefront.mail.from"), spec.mail.from);
                    data.put(envName("storefront.mail.tls"), String.valueOf(Boolean.TRUE.equals(spec.mail.tls)));
                }
            }
            default -> {
            }
        }
        return data;
    }

    /** Catalog's image store: where, which bucket, how it is addressed and served (credentials come from a Secret). */
    private static void objectStorage(StorefrontSpec.ObjectStorage storage, Map<String, String> data) {
        if (storage == null) {
            return;
        }
        if (storage.endpoint != null) {
            data.put(envName("storefront.catalog.images.s3.endpoint"), storage.endpoint);
        }
        data.put(envName("storefront.catalog.images.s3.bucket"), storage.bucket);
        data.put(envName("storefront.catalog.images.s3.region"), storage.region);
        data.put(envName("storefront.catalog.images.s3.path-style"), String.valueOf(!Boolean.FALSE.equals(storage.pathStyle)));
        if (storage.publicBaseUrl != null) {
            data.put(envName("storefront.catalog.images.public-base-url"), storage.publicBaseUrl);
        }
        if (storage.presignSeconds != null) {
            data.put(envName("storefront.catalog.images.presign-seconds"), String.valueOf(storage.presignSeconds));
        }
    }

    /** Credentials from Secrets, then the spec's overrides (which replace anything of the same name). */
    public static List<EnvVar> env(Storefront sf, ShopService service) {
        var spec = sf.getSpec();
        var env = new ArrayList<EnvVar>();
        if (service.isBackend()) {
            String dbSecret = StorefrontNames.databaseSecret(sf, service);
            env.add(fromSecret(envName("storefront.db.user"), dbSecret, "username"));
            env.add(fromSecret(envName("storefront.db.password"), dbSecret, "password"));
            env.add(fromSecret(envName("storefront.service-client.secret"), StorefrontNames.serviceClientsSecret(sf), service.id()));
            var natsCredentials = spec.messaging.mode == StorefrontSpec.MessagingMode.External
                    ? spec.messaging.external.credentialsSecretRef : null;
            if (natsCredentials != null) {
                env.add(fromSecret("NATS_URL", natsCredentials.name, natsCredentials.key));
            }
            if (spec.messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
                // each service logs in to the in-cluster NATS as itself
                env.add(fromSecret(envName("nats.user"), StorefrontNames.natsSecret(sf, service), "username"));
                env.add(fromSecret(envName("nats.password"), StorefrontNames.natsSecret(sf, service), "password"));
            }
        }
        switch (service) {
            case AUTH -> {
                env.add(fromSecret(envName("storefront.auth.service-clients"), StorefrontNames.serviceClientsSecret(sf), CLIENTS_KEY));
                env.add(fromSecret(envName("storefront.auth.signing-key"), StorefrontNames.jwtSecret(sf), JWT_KEY));
                var previous = fromSecret(envName("storefront.auth.previous-signing-key"), StorefrontNames.jwtSecret(sf), PREVIOUS_JWT_KEY);
                previous.getValueFrom().getSecretKeyRef().setOptional(true); // absent until the first rotation
                env.add(previous);
                String rotation = sf.rotationRequest();
                if (rotation != null) {
                    // a new rotation request changes the config hash, so auth's pods roll onto the new key
                    env.add(new EnvVarBuilder().withName(envName("storefront.auth.signing-key-rotation")).withValue(rotation).build());
                }
                env.add(fromSecret(envName("storefront.auth.admin.password"), StorefrontNames.adminSecret(sf), "password"));
            }
            case PAYMENT -> {
                var stripe = spec.payment.secretRef;
                if (spec.payment.provider == StorefrontSpec.PaymentProvider.stripe && stripe != null) {
                    env.add(fromSecret("STRIPE_SECRET_KEY", stripe.name, stripe.secretKeyKey));
                    env.add(fromSecret("STRIPE_WEBHOOK_SECRET", stripe.name, stripe.webhookSecretKey));
                }
            }
            case CATALOG -> {
                var storage = spec.objectStorage == null ? null : spec.objectStorage.credentialsSecretRef;
                if (storage != null) {
                    env.add(fromSecret(envName("storefront.catalog.images.s3.access-key"), storage.name, storage.accessKeyKey));
                    env.add(fromSecret(envName("storefront.catalog.images.s3.secret-key"), storage.name, storage.secretKeyKey));
                }
            }
            case NOTIFY -> {
                var mail = spec.mail.secretRef;
                if (spec.mail.host != null && mail != null) {
                    env.add(fromSecret(envName("storefront.mail.username"), mail.name, mail.usernameKey));
                    env.add(fromSecret(envName("storefront.mail.password"), mail.name, mail.passwordKey));
                }
            }
            default -> {
            }
        }
        for (var override : spec.services.get(service).env) {
            env.removeIf(e -> e.getName().equals(override.name));
            env.add(new EnvVarBuilder().withName(override.name).withValue(override.value).build());
        }
        return env;
    }

    /** Changes whenever the pods' configuration changes, so the Deployment rolls its pods. */
    public static String configHash(Storefront sf, ShopService service) {
        var text = new StringBuilder();
        configMapData(sf, service).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        env(sf, service).forEach(e -> text.append(e).append('\n'));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Changes whenever a Secret value the pods read changes (generated ones and the user's: Stripe, SMTP, NATS),
     * so the Deployment rolls its pods instead of leaving them on old credentials. {@code value} reads one key of
     * one Secret, null when absent; only a digest of the values ends up in the pod template.
     */
    public static String secretHash(Storefront sf, ShopService service, java.util.function.BiFunction<String, String, String> value) {
        var text = new StringBuilder();
        for (EnvVar e : env(sf, service)) {
            if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                String v = value.apply(ref.getName(), ref.getKey());
                text.append(ref.getName()).append('/').append(ref.getKey()).append('=')
                        .append(v == null ? "<absent>" : v).append('\n');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base URL of a service inside the namespace (no trailing slash). */
    public static String serviceUrl(Storefront sf, ShopService service) {
        return "http://" + StorefrontNames.service(sf, service) + ":" + ShopService.PORT;
    }

    public static String image(Storefront sf, ShopService service) {
        var image = sf.getSpec().image;
        String tag = image.tag == null || image.tag.isBlank() ? sf.getSpec().version : image.tag;
        return image.registry + "/storefront-" + service.id().toLowerCase(Locale.ROOT) + ":" + tag;
    }

    private static EnvVar fromSecret(String name, String secret, String key) {
        return new EnvVarBuilder().withName(name)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }
}
