package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.storefront.operator.OperatorFixture.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real JOSDK Operator against fabric8's mock API server in CRUD mode (server-side apply off: the mock does
 * not speak it). Each test uses its own namespace; the last one checks every API call the operator made against
 * the permissions the chart grants.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorefrontOperatorTest {
    private static final String OPERATOR_AGENT = "storefront-operator-under-test";
    /** Every variable a Storefront pod may get: docs/contracts.md plus the Stripe and mail ones named there. */
    private static final Set<String> CONTRACT_ENV = Set.of("SERVER_PORT", "STOREFRONT_DB_URL", "STOREFRONT_DB_USER",
            "STOREFRONT_DB_PASSWORD", "STOREFRONT_DB_CREATE_DASH_DATABASE", "NATS_URL", "STOREFRONT_AUTH_JWKS_DASH_URL",
            "STOREFRONT_AUTH_ISSUER", "STOREFRONT_SERVICE_DASH_CLIENT_ID", "STOREFRONT_SERVICE_DASH_CLIENT_SECRET",
            "STOREFRONT_AUTH_SERVICE_DASH_CLIENTS", "STOREFRONT_AUTH_SIGNING_DASH_KEY", "STOREFRONT_AUTH_PREVIOUS_DASH_SIGNING_DASH_KEY",
            "STOREFRONT_AUTH_SIGNING_DASH_KEY_DASH_ROTATION", "STOREFRONT_AUTH_ADMIN_EMAIL",
            "STOREFRONT_AUTH_ADMIN_PASSWORD", "STOREFRONT_AUTH_CLIENT_DASH_IP_DASH_HEADER", "STOREFRONT_PAYMENT_PROVIDER", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET",
            "STOREFRONT_MAIL_HOST", "STOREFRONT_MAIL_PORT", "STOREFRONT_MAIL_FROM", "STOREFRONT_MAIL_USERNAME",
            "STOREFRONT_MAIL_PASSWORD", "STOREFRONT_MAIL_TLS", "STOREFRONT_DEMO_DASH_DATA",
            "STOREFRONT_SERVICES_AUTH_URL", "STOREFRONT_SERVICES_CATALOG_URL", "STOREFRONT_SERVICES_INVENTORY_URL",
            "STOREFRONT_SERVICES_CART_URL", "STOREFRONT_SERVICES_ORDER_URL", "STOREFRONT_SERVICES_CHECKOUT_URL",
            "STOREFRONT_SERVICES_PAYMENT_URL", "STOREFRONT_SERVICES_NOTIFY_URL", "STOREFRONT_SERVICES_ANALYTICS_URL",
            "STOREFRONT_SERVICES_SEARCH_URL",
            "STOREFRONT_ANALYTICS_CLIENT_DASH_IP_DASH_HEADER",
            "STOREFRONT_SHUTDOWN_DRAIN_DASH_MS", "STOREFRONT_SHUTDOWN_TIMEOUT_DASH_MS",
            "NATS_USER", "NATS_PASSWORD", "STOREFRONT_EVENTS_REPLICAS",
            "STOREFRONT_CATALOG_IMAGES_S3_ENDPOINT", "STOREFRONT_CATALOG_IMAGES_S3_BUCKET", "STOREFRONT_CATALOG_IMAGES_S3_REGION",
            "STOREFRONT_CATALOG_IMAGES_S3_PATH_DASH_STYLE", "STOREFRONT_CATALOG_IMAGES_S3_ACCESS_DASH_KEY",
            "STOREFRONT_CATALOG_IMAGES_S3_SECRET_DASH_KEY", "STOREFRONT_CATALOG_IMAGES_PUBLIC_DASH_BASE_DASH_URL",
            "STOREFRONT_CATALOG_IMAGES_PRESIGN_DASH_SECONDS");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final OperatorFixture OPERATOR = OperatorFixture.withAgent(OPERATOR_AGENT);
    private static KubernetesClient client;

    @BeforeAll
    static void client() {
        client = OPERATOR.client();
    }


    @Test
    @Order(1)
    void kindExampleCreatesExactlyTheExpectedResourcesOwnedByTheStorefront() throws Exception {
        String ns = OPERATOR.namespace("kind");
        Storefront sf = OPERATOR.create(ns, TestSupport.example(client, "kind-dev.yaml"));
        String name = sf.getMetadata().getName();

        var expectedServices = new TreeSet<String>();
        for (ShopService service : ShopService.values()) {
            expectedServices.add(name + "-" + service.id());
        }
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(names(client.apps().deployments().inNamespace(ns).list().getItems())).isEqualTo(expectedServices);
            assertThat(names(client.apps().statefulSets().inNamespace(ns).list().getItems()))
                    .containsExactly(name + "-nats", name + "-postgres");
            var services = new TreeSet<>(expectedServices);
            services.addAll(List.of(name + "-nats", name + "-postgres"));
            assertThat(names(client.services().inNamespace(ns).list().getItems())).isEqualTo(services);
            assertThat(names(client.configMaps().inNamespace(ns).list().getItems()))
                    .isEqualTo(expectedServices.stream().map(s -> s + "-config").collect(Collectors.toCollection(TreeSet::new)));
            var secrets = new TreeSet<String>(List.of(name + "-jwt", name + "-service-clients", name + "-admin",
                    name + "-postgres-admin"));
            ShopService.backends().forEach(s -> secrets.add(name + "-db-" + s.id()));
            ShopService.backends().forEach(s -> secrets.add(name + "-nats-" + s.id()));
            secrets.add(name + "-nats-config");
            assertThat(names(client.secrets().inNamespace(ns).list().getItems())).isEqualTo(secrets);
            assertThat(names(client.network().v1().networkPolicies().inNamespace(ns).list().getItems()))
                    .containsExactly(name + "-database-clients", name + "-messaging-clients", name + "-nats",
                            name + "-postgres", name + "-price-feeds", name + "-services");
            // the kind example goes in through the Gateway API: an HTTPRoute, no Ingress
            assertThat(httpRoute(ns, name)).isNotNull();
            assertThat(client.network().v1().ingresses().inNamespace(ns).list().getItems()).isEmpty();
        });
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()).isEmpty();

        String uid = client.resources(Storefront.class).inNamespace(ns).withName(name).get().getMetadata().getUid();
        var owned = new ArrayList<HasMetadata>();
        owned.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
        owned.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
        owned.addAll(client.services().inNamespace(ns).list().getItems());
        owned.addAll(client.configMaps().inNamespace(ns).list().getItems());
        // the in-cluster superuser's Secret outlives the Storefront with its volume (OperatorDataSafetyTest)
        owned.addAll(client.secrets().inNamespace(ns).list().getItems().stream()
                .filter(s -> !s.getMetadata().getName().equals(name + "-postgres-admin")).toList());
        assertThat(client.secrets().inNamespace(ns).withName(name + "-postgres-admin").get().getMetadata()
                .getOwnerReferences()).isEmpty();
        owned.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems());
        owned.add(httpRoute(ns, name));
        assertThat(owned).allSatisfy(resource -> assertThat(resource.getMetadata().getOwnerReferences())
                .singleElement().satisfies(ref -> {
                    assertThat(ref.getUid()).isEqualTo(uid);
                    assertThat(ref.getKind()).isEqualTo("Storefront");
                }));

        Deployment auth = client.apps().deployments().inNamespace(ns).withName(name + "-auth").get();
        var container = auth.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(container.getImage()).isEqualTo("ghcr.io/storefront-dev/storefront-auth:dev");
        assertThat(container.getImagePullPolicy()).isEqualTo("Never");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/observe/health/live");
        assertThat(auth.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        // the preStop sleep drains; the process stops within its 25 s bound; the grace period covers both
        assertThat(container.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5L);
        assertThat(auth.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(35L);
        assertThat(auth.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("storefront.dev/config-hash");
        ConfigMap authConfig = client.configMaps().inNamespace(ns).withName(name + "-auth-config").get();
        var envNames = new TreeSet<>(authConfig.getData().keySet());
        container.getEnv().stream().map(EnvVar::getName).forEach(envNames::add);
        assertThat(CONTRACT_ENV).containsAll(envNames);
        assertThat(envNames).contains("STOREFRONT_DB_URL", "STOREFRONT_DB_USER", "STOREFRONT_DB_PASSWORD", "NATS_URL",
                "STOREFRONT_AUTH_SIGNING_DASH_KEY", "STOREFRONT_AUTH_SERVICE_DASH_CLIENTS", "STOREFRONT_SERVICES_ORDER_URL");
        assertThat(authConfig.getData()).containsEntry("STOREFRONT_DB_URL",
                "jdbc:postgresql://storefront-postgres." + ns + ".svc:5432/kind_storefront_auth?sslmode=disable")
                .containsEntry("NATS_URL", "nats://storefront-nats:4222")
                .containsEntry("STOREFRONT_DEMO_DASH_DATA", "true")
                .containsEntry("STOREFRONT_SHUTDOWN_DRAIN_DASH_MS", "0")
                .containsEntry("STOREFRONT_SHUTDOWN_TIMEOUT_DASH_MS", "25000");
        assertThat(client.configMaps().inNamespace(ns).withName(name + "-payment-config").get().getData())
                .containsEntry("STOREFRONT_PAYMENT_PROVIDER", "simulated");

        @SuppressWarnings("unchecked")
        var rules = (List<Map<String, Object>>) ((Map<String, Object>) httpRoute(ns, name).getAdditionalProperties().get("spec")).get("rules");
        var routes = new HashMap<String, String>();
        for (var rule : rules) {
            @SuppressWarnings("unchecked")
            String backend = (String) ((List<Map<String, Object>>) rule.get("backendRefs")).getFirst().get("name");
            @SuppressWarnings("unchecked")
            var matches = (List<Map<String, Map<String, Object>>>) rule.get("matches");
            matches.forEach(m -> routes.put((String) m.get("path").get("value"), backend));
        }
        assertThat(routes).containsEntry("/api/auth", name + "-auth").containsEntry("/api/products", name + "-catalog")
                .containsEntry("/api/orders", name + "-order").containsEntry("/", name + "-web")
                .containsEntry("/ai/search", name + "-search").containsEntry("/ai/index", name + "-search")
                .containsEntry("/ai/prices", name + "-catalog");
        assertThat(routes.keySet()).noneMatch(path -> path.startsWith("/internal"));

        // the in-cluster database has no ready pod in the mock: said so, not a crash
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, name);
            assertThat(condition(current, Conditions.DATABASE_READY).getReason()).isEqualTo("PostgresStarting");
            assertThat(condition(current, Conditions.READY).getStatus()).isEqualTo("False");
            assertThat(current.getStatus().observedGeneration).isEqualTo(current.getMetadata().getGeneration());
            assertThat(current.getStatus().url).isEqualTo("http://storefront.localtest.me");
            assertThat(current.getStatus().operatorVersion).isNotBlank();
        });
    }

    @Test
    @Order(2)
    void productionExampleProvisionsDatabasesBecomesReadyAndItsFinalizerDropsThemOnDelete() throws Exception {
        String ns = OPERATOR.namespace("prod");
        String prefix = OPERATOR.dropAfterwards(TestSupport.uniquePrefix());
        Storefront sf = TestSupport.example(client, "production.yaml");
        // point the example at the local PostgreSQL, under names of our own
        sf.getSpec().database.external.host = TestSupport.PG_HOST;
        sf.getSpec().database.external.sslMode = "disable";
        sf.getSpec().database.namePrefix = prefix;
        sf.getSpec().database.reclaimPolicy = StorefrontSpec.ReclaimPolicy.Delete;
        OPERATOR.secret(ns, "storefront-db-admin", Map.of("username", "postgres", "password", ""));
        OPERATOR.secret(ns, "storefront-stripe", Map.of("secret-key", "sk_test_x", "webhook-secret", "whsec_x"));
        OPERATOR.secret(ns, "storefront-smtp", Map.of("username", "mailer", "password", "pw"));
        OPERATOR.secret(ns, "storefront-s3", Map.of("access-key", "AKIAEXAMPLE", "secret-key", "s3-secret"));
        OPERATOR.secret(ns, "storefront-nats", Map.of("url", "nats://u:p@nats.messaging.svc:4222"));
        OPERATOR.secret(ns, "shop-example-com-tls", Map.of("tls.crt", "crt", "tls.key", "key"));
        OPERATOR.create(ns, sf);
        String name = sf.getMetadata().getName();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(names(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems()))
                    .containsExactly("shop-auth", "shop-cart", "shop-catalog", "shop-checkout");
            assertThat(names(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems()))
                    .hasSize(ShopService.values().length);
            assertThat(client.network().v1().ingresses().inNamespace(ns).withName(name).get()).isNotNull();
        });
        assertThat(client.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
        assertThat(names(client.network().v1().networkPolicies().inNamespace(ns).list().getItems()))
                .containsExactly("shop-database-clients", "shop-mail", "shop-messaging-clients", "shop-object-storage",
                        "shop-payment-provider", "shop-price-feeds", "shop-services");
        // catalog, and only catalog, gets the image store: where, and its keys from the Secret; it may reach it on 443
        var catalogContainer = client.apps().deployments().inNamespace(ns).withName("shop-catalog").get()
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(catalogContainer.getEnv()).filteredOn(e -> e.getName().startsWith("STOREFRONT_CATALOG_IMAGES_S3_"))
                .extracting(e -> e.getName() + "<-" + e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey())
                .containsExactlyInAnyOrder("STOREFRONT_CATALOG_IMAGES_S3_ACCESS_DASH_KEY<-storefront-s3/access-key",
                        "STOREFRONT_CATALOG_IMAGES_S3_SECRET_DASH_KEY<-storefront-s3/secret-key");
        assertThat(client.configMaps().inNamespace(ns).withName("shop-catalog-config").get().getData())
                .containsEntry("STOREFRONT_CATALOG_IMAGES_S3_BUCKET", "shop-example-com-images")
                .containsEntry("STOREFRONT_CATALOG_IMAGES_S3_REGION", "eu-central-1")
                .containsEntry("STOREFRONT_CATALOG_IMAGES_S3_PATH_DASH_STYLE", "false")
                .doesNotContainKey("STOREFRONT_CATALOG_IMAGES_S3_ENDPOINT");
        assertThat(client.configMaps().inNamespace(ns).withName("shop-cart-config").get().getData())
                .doesNotContainKey("STOREFRONT_CATALOG_IMAGES_S3_BUCKET");
        assertThat(client.network().v1().networkPolicies().inNamespace(ns).withName("shop-object-storage").get().getSpec()
                .getEgress().getFirst().getPorts().getFirst().getPort().getIntVal()).isEqualTo(443);
        Ingress ingress = client.network().v1().ingresses().inNamespace(ns).withName(name).get();
        assertThat(ingress.getSpec().getTls().getFirst().getSecretName()).isEqualTo("shop-example-com-tls");
        assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/limit-rps", "50");
        HorizontalPodAutoscaler catalogHpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns)
                .withName("shop-catalog").get();
        assertThat(catalogHpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(catalogHpa.getSpec().getMaxReplicas()).isEqualTo(10);
        Deployment payment = client.apps().deployments().inNamespace(ns).withName("shop-payment").get();
        assertThat(payment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
                .extracting(EnvVar::getName).contains("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET");

        // databases and roles really exist on the server
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(condition(OPERATOR.get(ns, name), Conditions.DATABASE_READY).getStatus()).isEqualTo("True");
            assertThat(TestSupport.databasesLike(prefix)).hasSize(ShopService.backends().size()).contains(prefix + "_auth", prefix + "_order");
        });
        assertThat(OPERATOR.get(ns, name).getStatus().databases).allSatisfy(db -> assertThat(db.applied).isTrue());

        // the Deployments held until the databases existed are released
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
                .noneMatch(dev.storefront.operator.dependent.DeploymentsDependent::waitingForDatabase));
        assertThat(client.apps().deployments().inNamespace(ns).withName("shop-catalog").get().getSpec().getReplicas())
                .as("released at its autoscaler's minimum; the HPA owns the count from there").isEqualTo(3);

        // pods become ready in the "cluster": the status follows
        assertThat(condition(OPERATOR.get(ns, name), Conditions.READY).getStatus()).isEqualTo("False");
        for (Deployment deployment : client.apps().deployments().inNamespace(ns).list().getItems()) {
            OPERATOR.markReady(deployment);
        }
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, name);
            assertThat(condition(current, Conditions.SERVICES_READY).getStatus()).isEqualTo("True");
            assertThat(condition(current, Conditions.READY).getStatus()).isEqualTo("True");
            assertThat(condition(current, Conditions.DEGRADED).getStatus()).isEqualTo("False");
            assertThat(current.getStatus().url).isEqualTo("https://shop.example.com");
            assertThat(current.getStatus().services).filteredOn(s -> s.name.equals("catalog")).singleElement()
                    .satisfies(s -> assertThat(s.readyReplicas).isEqualTo(3));
        });
        assertThat(OPERATOR.get(ns, name).getMetadata().getFinalizers()).isNotEmpty();

        client.resources(Storefront.class).inNamespace(ns).withName(name).delete();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.resources(Storefront.class).inNamespace(ns).withName(name).get()).isNull();
            assertThat(TestSupport.databasesLike(prefix)).isEmpty();
            assertThat(TestSupport.rolesLike(prefix)).isEmpty();
        });
    }

    @Test
    @Order(3)
    void retainKeepsTheDatabasesWhenTheStorefrontIsDeleted() throws Exception {
        String ns = OPERATOR.namespace("retain");
        String prefix = OPERATOR.dropAfterwards(TestSupport.uniquePrefix());
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres"));
        Storefront sf = externalStorefront(ns, "retained", prefix, "pg-admin");
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "retained"), Conditions.DATABASE_READY).getStatus()).isEqualTo("True"));
        client.resources(Storefront.class).inNamespace(ns).withName("retained").delete();
        await().atMost(WAIT).until(() -> client.resources(Storefront.class).inNamespace(ns).withName("retained").get() == null);
        assertThat(TestSupport.databasesLike(prefix)).hasSize(ShopService.backends().size());
    }

    @Test
    @Order(4)
    void aMissingAdminSecretGivesDatabaseReadyFalseWithTheReason() throws Exception {
        String ns = OPERATOR.namespace("nosecret");
        OPERATOR.create(ns, externalStorefront(ns, "unprovisioned", TestSupport.uniquePrefix(), "does-not-exist"));
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, "unprovisioned");
            Condition database = condition(current, Conditions.DATABASE_READY);
            assertThat(database.getStatus()).isEqualTo("False");
            assertThat(database.getReason()).isEqualTo("AdminSecretNotFound");
            assertThat(database.getMessage()).contains("does-not-exist", ns);
            assertThat(database.getLastTransitionTime()).isNotBlank();
            assertThat(database.getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
            assertThat(condition(current, Conditions.READY).getStatus()).isEqualTo("False");
        });
        // the rest of the shop is still made, the backends held at 0 replicas until their databases exist
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).hasSize(ShopService.values().length);
        assertThat(client.apps().deployments().inNamespace(ns).withName("unprovisioned-order").get().getSpec().getReplicas()).isZero();
    }

    @Test
    @Order(5)
    void scalingAServiceChangesItsDeploymentBudgetAndAutoscaler() throws Exception {
        String ns = OPERATOR.namespace("scale");
        String prefix = OPERATOR.dropAfterwards(TestSupport.uniquePrefix());
        // on the local PostgreSQL: backends are held at 0 replicas until their database exists
        OPERATOR.secret(ns, "pg-admin", Map.of("username", "postgres"));
        OPERATOR.create(ns, externalStorefront(ns, "scaled", prefix, "pg-admin"));
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("scaled-catalog").get() != null
                && !dev.storefront.operator.dependent.DeploymentsDependent.waitingForDatabase(
                        client.apps().deployments().inNamespace(ns).withName("scaled-catalog").get()));
        String authPassword = OPERATOR.secretValue(ns, "scaled-db-auth", "password");

        OPERATOR.edit(ns, "scaled", s -> s.getSpec().services.catalog.replicas = 3);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns).withName("scaled-catalog").get().getSpec().getReplicas())
                    .isEqualTo(3);
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("scaled-catalog").get()).isNotNull();
        });

        OPERATOR.edit(ns, "scaled", s -> {
            var autoscaling = new StorefrontSpec.Autoscaling();
            autoscaling.minReplicas = 2;
            autoscaling.maxReplicas = 5;
            s.getSpec().services.cart.autoscaling = autoscaling;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            var hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("scaled-cart").get();
            assertThat(hpa).isNotNull();
            assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
            assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("scaled-cart");
        });

        OPERATOR.edit(ns, "scaled", s -> s.getSpec().services.cart.autoscaling.maxReplicas = 9);
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.autoscaling().v2().horizontalPodAutoscalers()
                .inNamespace(ns).withName("scaled-cart").get().getSpec().getMaxReplicas()).isEqualTo(9));

        OPERATOR.edit(ns, "scaled", s -> {
            s.getSpec().services.cart.autoscaling = null;
            s.getSpec().services.catalog.replicas = 1;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("scaled-cart").get()).isNull();
            assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("scaled-catalog").get()).isNull();
            assertThat(client.apps().deployments().inNamespace(ns).withName("scaled-catalog").get().getSpec().getReplicas())
                    .isEqualTo(1);
        });
        assertThat(OPERATOR.secretValue(ns, "scaled-db-auth", "password")).as("passwords are never regenerated").isEqualTo(authPassword);
    }

    @Test
    @Order(6)
    void removingTheGatewayRemovesTheIngressAndAParentRefMakesAnHttpRoute() throws Exception {
        String ns = OPERATOR.namespace("gateway");
        var sf = new Storefront();
        sf.getMetadata().setName("gw");
        sf.getSpec().gateway = new StorefrontSpec.Gateway();
        sf.getSpec().gateway.host = "shop.example.org";
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).until(() -> client.network().v1().ingresses().inNamespace(ns).withName("gw").get() != null);

        OPERATOR.edit(ns, "gw", s -> s.getSpec().gateway = null);
        await().atMost(WAIT).until(() -> client.network().v1().ingresses().inNamespace(ns).withName("gw").get() == null);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(condition(OPERATOR.get(ns, "gw"), Conditions.GATEWAY_READY).getReason()).isEqualTo("NotConfigured"));

        OPERATOR.edit(ns, "gw", s -> {
            s.getSpec().gateway = new StorefrontSpec.Gateway();
            s.getSpec().gateway.host = "shop.example.org";
            s.getSpec().gateway.parentRef = new StorefrontSpec.ParentRef();
            s.getSpec().gateway.parentRef.name = "public";
            s.getSpec().gateway.parentRef.namespace = "gateways";
        });
        await().atMost(WAIT).untilAsserted(() -> {
            GenericKubernetesResource route = client.genericKubernetesResources(dev.storefront.operator.dependent.GenericChildren.definition(dev.storefront.operator.dependent.HttpRoute.GVK))
                    .inNamespace(ns).withName("gw").get();
            assertThat(route).isNotNull();
            assertThat(client.getKubernetesSerialization().asJson(route.getAdditionalProperties().get("spec")))
                    .contains("\"name\":\"public\"", "\"value\":\"/api/cart\"", "\"name\":\"gw-cart\"", "shop.example.org");
        });
        assertThat(client.network().v1().ingresses().inNamespace(ns).withName("gw").get()).isNull();
    }

    @Test
    @Order(7)
    void pausedStorefrontsAreLeftAloneAndSaySo() throws Exception {
        String ns = OPERATOR.namespace("paused");
        var sf = new Storefront();
        sf.getMetadata().setName("still");
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("still-web").get() != null);
        OPERATOR.edit(ns, "still", s -> {
            s.getSpec().paused = true;
            s.getSpec().services.web.replicas = 4;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            Condition paused = condition(OPERATOR.get(ns, "still"), Conditions.RECONCILIATION_PAUSED);
            assertThat(paused.getStatus()).isEqualTo("True");
            assertThat(paused.getReason()).isEqualTo("Paused");
        });
        assertThat(client.apps().deployments().inNamespace(ns).withName("still-web").get().getSpec().getReplicas()).isEqualTo(1);

        OPERATOR.edit(ns, "still", s -> s.getSpec().paused = false);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(client.apps().deployments().inNamespace(ns).withName("still-web").get().getSpec().getReplicas()).isEqualTo(4);
            assertThat(condition(OPERATOR.get(ns, "still"), Conditions.RECONCILIATION_PAUSED).getStatus()).isEqualTo("False");
        });
    }

    @Test
    @Order(8)
    void autoscalingWithMinAboveMaxIsReportedInStatusWithoutTouchingAnything() throws Exception {
        String ns = OPERATOR.namespace("invalid");
        var sf = new Storefront();
        sf.getMetadata().setName("bad");
        var autoscaling = new StorefrontSpec.Autoscaling();
        autoscaling.minReplicas = 6;
        autoscaling.maxReplicas = 3;
        sf.getSpec().services.order.autoscaling = autoscaling;
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).untilAsserted(() -> {
            Storefront current = OPERATOR.get(ns, "bad");
            assertThat(condition(current, Conditions.READY).getReason()).isEqualTo("InvalidSpec");
            assertThat(condition(current, Conditions.DEGRADED).getStatus()).isEqualTo("True");
            assertThat(condition(current, Conditions.DEGRADED).getMessage()).contains("minReplicas (6) exceeds maxReplicas (3)");
        });
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    @Order(100)
    void everyApiCallTheOperatorMadeIsGrantedByTheChartsClusterRole() throws Exception {
        var required = OperatorPermissions.required();
        var used = OPERATOR.permissionsUsed();
        assertThat(used).isNotEmpty();
        assertThat(required).containsAll(used);
        assertThat(HelmChartTest.renderedClusterRolePermissions()).isEqualTo(required);
    }

    private static Storefront externalStorefront(String ns, String name, String prefix, String adminSecret) {
        var sf = new Storefront();
        sf.getMetadata().setName(name);
        sf.getMetadata().setNamespace(ns);
        var db = sf.getSpec().database;
        db.mode = StorefrontSpec.DatabaseMode.External;
        db.namePrefix = prefix;
        db.external = new StorefrontSpec.ExternalDatabase();
        db.external.host = TestSupport.PG_HOST;
        db.external.sslMode = "disable";
        db.external.adminSecretRef = new StorefrontSpec.SecretKeys(adminSecret);
        return sf;
    }

    @Test
    @Order(20)
    void theRotateAnnotationMakesANewSigningKeyKeepsThePreviousOneAndRollsAuth() throws Exception {
        String ns = OPERATOR.namespace("rotate");
        var sf = new Storefront();
        sf.getMetadata().setName("rotating");
        OPERATOR.create(ns, sf);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("rotating-auth").get() != null);
        String first = OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.JWT_KEY);
        String hashBefore = authConfigHash(ns);
        var previousEnv = client.apps().deployments().inNamespace(ns).withName("rotating-auth").get().getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getEnv().stream().filter(e -> e.getName().equals("STOREFRONT_AUTH_PREVIOUS_DASH_SIGNING_DASH_KEY"))
                .findFirst().orElseThrow();
        assertThat(previousEnv.getValueFrom().getSecretKeyRef().getOptional()).as("absent until the first rotation").isTrue();

        OPERATOR.annotate(ns, "rotating", Storefront.ROTATE_SIGNING_KEY_ANNOTATION, "1");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.JWT_KEY)).startsWith("-----BEGIN PRIVATE KEY-----").isNotEqualTo(first);
            assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.PREVIOUS_JWT_KEY)).isEqualTo(first);
            assertThat(authConfigHash(ns)).as("auth's pods roll onto the new key").isNotEqualTo(hashBefore);
        });
        String second = OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.JWT_KEY);

        // the same request is not applied twice: another change reconciles, the keys stay. The web tier is scaled
        // because it has no database: the backends here wait at 0 replicas for an in-cluster database the mock never runs.
        OPERATOR.edit(ns, "rotating", s -> s.getSpec().services.web.replicas = 2);
        await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName("rotating-web").get().getSpec()
                .getReplicas() == 2);
        assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.JWT_KEY)).isEqualTo(second);
        assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.PREVIOUS_JWT_KEY)).isEqualTo(first);

        OPERATOR.annotate(ns, "rotating", Storefront.ROTATE_SIGNING_KEY_ANNOTATION, "2");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.PREVIOUS_JWT_KEY)).isEqualTo(second);
            assertThat(OPERATOR.secretValue(ns, "rotating-jwt", ServiceEnvironment.JWT_KEY)).isNotIn(first, second);
        });
    }


    private static String authConfigHash(String ns) {
        return OPERATOR.podAnnotation(ns, "rotating-auth", StorefrontNames.CONFIG_HASH_ANNOTATION);
    }








    private static GenericKubernetesResource httpRoute(String ns, String name) {
        return client.genericKubernetesResources(dev.storefront.operator.dependent.GenericChildren.definition(
                dev.storefront.operator.dependent.HttpRoute.GVK)).inNamespace(ns).withName(name).get();
    }

    private static <T extends HasMetadata> TreeSet<String> names(List<T> resources) {
        return resources.stream().map(r -> r.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
    }
}
