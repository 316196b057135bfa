package dev.storefront.operator.dependent;

import dev.storefront.operator.SecretValues;
import dev.storefront.operator.ServiceEnvironment;
import dev.storefront.operator.StorefrontNames;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Secrets whose values the operator generates: per service database login, the JWT signing key, service client
 * credentials and the first admin's password (the in-cluster superuser's is {@link PostgresAdminSecret}). A value, once written, is
 * never regenerated: desired values are taken from the existing Secret and only missing keys are generated.
 */
@KubernetesDependent(informer = @Informer(labelSelector = StorefrontNames.MANAGED_SELECTOR))
public class GeneratedSecretsDependent extends StorefrontBulkDependent<Secret> {

    public GeneratedSecretsDependent() {
        super(Secret.class);
    }

    @Override
    protected List<Secret> desiredList(Storefront sf, Context<Storefront> context) {
        Map<ResourceID, Secret> existing = getSecondaryResources(sf, context);
        var secrets = new ArrayList<Secret>();
        for (ShopService service : ShopService.backends()) {
            var data = new LinkedHashMap<String, Supplier<String>>();
            String role = StorefrontNames.database(sf, service);
            data.put("username", () -> role);
            data.put("password", () -> SecretValues.password(32));
            Secret login = secret(sf, StorefrontNames.databaseSecret(sf, service), "database", data, existing);
            if (sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.CloudNativePG) {
                // a managed role's passwordSecret: CloudNativePG expects basic-auth and re-reads it when labelled so
                login.setType("kubernetes.io/basic-auth");
                login.getMetadata().getLabels().put("cnpg.io/reload", "true");
            }
            secrets.add(login);
        }
        secrets.add(signingKeySecret(sf, existing));

        var clients = new LinkedHashMap<String, Supplier<String>>();
        ShopService.backends().forEach(s -> clients.put(s.id(), () -> SecretValues.password(32)));
        Secret clientSecret = secret(sf, StorefrontNames.serviceClientsSecret(sf), "auth", clients, existing);
        // auth reads every client as "id:secret,id:secret"; derived, so it follows the kept values
        clientSecret.getData().put(ServiceEnvironment.CLIENTS_KEY, encode(ShopService.backends().stream()
                .map(s -> s.id() + ":" + decode(clientSecret.getData().get(s.id())))
                .collect(Collectors.joining(","))));
        secrets.add(clientSecret);

        String adminEmail = sf.getSpec().admin.email;
        var admin = new LinkedHashMap<String, Supplier<String>>();
        admin.put("email", () -> adminEmail);
        admin.put("password", () -> SecretValues.password(20));
        Secret adminSecret = secret(sf, StorefrontNames.adminSecret(sf), "auth", admin, existing);
        adminSecret.getData().put("email", encode(adminEmail)); // follows the spec, the password stays
        secrets.add(adminSecret);

        if (sf.getSpec().messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            secrets.addAll(natsSecrets(sf, existing));
        }

        return secrets;
    }

    /** A NATS login per service, and the server configuration derived from them (so it follows the kept values). */
    private static List<Secret> natsSecrets(Storefront sf, Map<ResourceID, Secret> existing) {
        var secrets = new ArrayList<Secret>();
        var passwords = new LinkedHashMap<ShopService, String>();
        for (ShopService service : ShopService.backends()) {
            var data = new LinkedHashMap<String, Supplier<String>>();
            data.put("username", service::id);
            data.put("password", () -> SecretValues.password(32));
            Secret login = secret(sf, StorefrontNames.natsSecret(sf, service), "nats", data, existing);
            passwords.put(service, decode(login.getData().get("password")));
            secrets.add(login);
        }
        Secret config = secret(sf, StorefrontNames.natsConfigSecret(sf), "nats",
                Map.of("route-password", () -> SecretValues.password(32)), existing);
        config.getData().put(NatsConfig.KEY, encode(NatsConfig.render(sf, passwords,
                decode(config.getData().get("route-password")))));
        secrets.add(config);
        return secrets;
    }

    /** The in-cluster superuser Secret is PostgresAdminSecret's: never deleted here, even with an old owner reference. */
    @Override
    public void deleteTargetResource(Storefront primary, Secret resource, ResourceID key, Context<Storefront> context) {
        if (!StorefrontNames.postgresAdminSecret(primary).equals(resource.getMetadata().getName())) {
            super.deleteTargetResource(primary, resource, key, context);
        }
    }

    /**
     * The JWT signing key. A rotate annotation whose value the Secret has not recorded yet makes a new key and
     * keeps the current one as {@value ServiceEnvironment#PREVIOUS_JWT_KEY} (auth verifies its tokens until they
     * expire); the value is recorded on the Secret, so each request rotates once.
     */
    private static Secret signingKeySecret(Storefront sf, Map<ResourceID, Secret> existing) {
        String name = StorefrontNames.jwtSecret(sf);
        Secret secret = secret(sf, name, "auth", Map.of(ServiceEnvironment.JWT_KEY, SecretValues::rsaPrivateKeyPem), existing);
        Secret current = existing.get(new ResourceID(name, sf.getMetadata().getNamespace()));
        Map<String, String> currentData = current == null || current.getData() == null ? Map.of() : current.getData();
        Map<String, String> currentAnnotations = current == null || current.getMetadata().getAnnotations() == null
                ? Map.of() : current.getMetadata().getAnnotations();
        String requested = sf.rotationRequest();
        String applied = currentAnnotations.get(Storefront.ROTATE_SIGNING_KEY_ANNOTATION);
        if (currentData.containsKey(ServiceEnvironment.PREVIOUS_JWT_KEY)) {
            secret.getData().put(ServiceEnvironment.PREVIOUS_JWT_KEY, currentData.get(ServiceEnvironment.PREVIOUS_JWT_KEY));
        }
        if (requested != null && !requested.equals(applied) && currentData.containsKey(ServiceEnvironment.JWT_KEY)) {
            secret.getData().put(ServiceEnvironment.PREVIOUS_JWT_KEY, currentData.get(ServiceEnvironment.JWT_KEY));
            secret.getData().put(ServiceEnvironment.JWT_KEY, encode(SecretValues.rsaPrivateKeyPem()));
            applied = requested;
        } else if (requested != null && current == null) {
            applied = requested; // a first key is already new
        }
        if (applied != null) {
            secret.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(Storefront.ROTATE_SIGNING_KEY_ANNOTATION, applied)));
        }
        return secret;
    }

    /** Never overwrite a generated value: a Secret that has every desired key is left as it is. */
    @Override
    public Matcher.Result<Secret> match(Secret actual, Secret desired, Storefront primary, Context<Storefront> context) {
        var actualData = actual.getData() == null ? Map.<String, String>of() : actual.getData();
        var actualAnnotations = actual.getMetadata().getAnnotations() == null ? Map.<String, String>of() : actual.getMetadata().getAnnotations();
        var desiredAnnotations = desired.getMetadata().getAnnotations() == null ? Map.<String, String>of() : desired.getMetadata().getAnnotations();
        boolean same = desired.getData().entrySet().stream()
                .allMatch(e -> e.getValue().equals(actualData.get(e.getKey())))
                && desiredAnnotations.entrySet().stream().allMatch(e -> e.getValue().equals(actualAnnotations.get(e.getKey())));
        return Matcher.Result.computed(same, desired);
    }

    private static Secret secret(Storefront sf, String name, String component, Map<String, Supplier<String>> generators,
                                 Map<ResourceID, Secret> existing) {
        Secret current = existing.get(new ResourceID(name, sf.getMetadata().getNamespace()));
        Map<String, String> currentData = current == null || current.getData() == null ? Map.of() : current.getData();
        var data = new LinkedHashMap<String, String>();
        generators.forEach((key, generator) ->
                data.put(key, currentData.containsKey(key) ? currentData.get(key) : encode(generator.get())));
        return new SecretBuilder()
                .withNewMetadata().withName(name).withLabels(StorefrontNames.labels(sf, component)).endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String value) {
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
    }
}
