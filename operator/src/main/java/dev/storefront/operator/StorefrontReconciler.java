package dev.storefront.operator;

import dev.storefront.operator.Conditions.Verdict;
import dev.storefront.operator.db.DatabaseProvisioner;
import dev.storefront.operator.db.DatabaseProvisioner.AdminLogin;
import dev.storefront.operator.db.DatabaseProvisioner.ServiceDatabase;
import dev.storefront.operator.dependent.AutoscalersDependent;
import dev.storefront.operator.dependent.CnpgCluster;
import dev.storefront.operator.dependent.GenericChildren;
import dev.storefront.operator.dependent.ConfigMapsDependent;
import dev.storefront.operator.dependent.DeploymentsDependent;
import dev.storefront.operator.dependent.DisruptionBudgetsDependent;
import dev.storefront.operator.dependent.GeneratedSecretsDependent;
import dev.storefront.operator.dependent.HttpRoute;
import dev.storefront.operator.dependent.IngressDependent;
import dev.storefront.operator.dependent.NetworkPoliciesDependent;
import dev.storefront.operator.dependent.PostgresAdminSecret;
import dev.storefront.operator.dependent.ServicesDependent;
import dev.storefront.operator.dependent.StatefulSetsDependent;
import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import dev.storefront.operator.model.StorefrontStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns a Storefront into a running shop: runs the dependent-resource workflow, provisions the databases over
 * JDBC, and writes a kstatus-style status. The workflow is invoked explicitly so that a paused or invalid
 * Storefront leaves everything it made untouched.
 */
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
        @Dependent(name = StorefrontReconciler.SECRETS, type = GeneratedSecretsDependent.class),
        @Dependent(name = "config-maps", type = ConfigMapsDependent.class),
        @Dependent(name = "stateful-sets", type = StatefulSetsDependent.class, dependsOn = StorefrontReconciler.SECRETS),
        @Dependent(name = "services", type = ServicesDependent.class),
        @Dependent(name = "deployments", type = DeploymentsDependent.class,
                dependsOn = {StorefrontReconciler.SECRETS, "config-maps"}),
        @Dependent(name = "autoscalers", type = AutoscalersDependent.class, dependsOn = "deployments"),
        @Dependent(name = "disruption-budgets", type = DisruptionBudgetsDependent.class, dependsOn = "deployments"),
        @Dependent(name = "network-policies", type = NetworkPoliciesDependent.class),
        @Dependent(name = "ingress", type = IngressDependent.class, dependsOn = "services")
})
@ControllerConfiguration(name = StorefrontReconciler.NAME,
        // annotation changes (pause, skip-cleanup) must reconcile at once; SpecOrAnnotationChanged drops status writes
        generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SpecOrAnnotationChanged.class),
        maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
// transient failures (API server, database server) retry with back-off, and keep retrying
@GradualRetry(initialInterval = 2000, intervalMultiplier = 2.0, maxInterval = 300_000, maxAttempts = Integer.MAX_VALUE)
public class StorefrontReconciler implements Reconciler<Storefront>, Cleaner<Storefront> {
    public static final String NAME = "storefront";
    static final String SECRETS = "generated-secrets";
    /** While something is still starting, look again this soon even without an event. */
    static final Duration RECHECK = Duration.ofSeconds(15);
    private static final String PENDING_STATUS = "storefront.pending-status";
    private static final Logger LOG = LoggerFactory.getLogger(StorefrontReconciler.class);

    /** Storefront -> fingerprint of the last successful provisioning, so JDBC runs only when something changed. */
    private final Map<ResourceID, String> provisioned = new ConcurrentHashMap<>();
    private final StorefrontEvents events = new StorefrontEvents();
    /** Storefront -> when its cleanup first failed, for a deletion without a deletionTimestamp (never on a real server). */
    private final Map<ResourceID, Instant> cleanupStarted = new ConcurrentHashMap<>();

    /** Besides the dependents' informers: the user's Secrets a Storefront names, so that their change acts at once. */
    @Override
    public List<EventSource<?, Storefront>> prepareEventSources(EventSourceContext<Storefront> context) {
        return List.of(ReferencedSecrets.eventSource(context));
    }

    @Override
    public UpdateControl<Storefront> reconcile(Storefront sf, Context<Storefront> context) throws Exception {
        String before = Serialization.asJson(sf.getStatus());
        StorefrontStatus status = sf.getStatus() == null ? new StorefrontStatus() : sf.getStatus();
        sf.setStatus(status);
        status.operatorVersion = OperatorSettings.version();
        Long generation = sf.getMetadata().getGeneration();
        var verdicts = new ArrayList<Verdict>();

        if (sf.paused()) {
            verdicts.add(Verdict.isTrue(Conditions.RECONCILIATION_PAUSED, "Paused",
                    "Reconciliation is paused by spec.paused or the " + Storefront.PAUSED_ANNOTATION
                            + " annotation; nothing is changed until it is removed."));
            verdicts.add(Verdict.isFalse(Conditions.RECONCILING, "Paused", "Reconciliation is paused."));
            verdicts.add(Verdict.isFalse(Conditions.STALLED, "Paused", "Reconciliation is paused."));
            return finish(sf, context, before, verdicts, generation, null);
        }
        verdicts.add(Verdict.isFalse(Conditions.RECONCILIATION_PAUSED, "Reconciling", "Reconciliation is active."));
        status.observedGeneration = generation;

        List<String> problems = specProblems(sf);
        if (!problems.isEmpty()) {
            String message = "The spec is invalid: " + String.join("; ", problems) + ". Fix the Storefront.";
            verdicts.add(Verdict.isFalse(Conditions.READY, "InvalidSpec", message));
            verdicts.add(Verdict.isTrue(Conditions.DEGRADED, "InvalidSpec", message));
            verdicts.add(Verdict.isTrue(Conditions.STALLED, "InvalidSpec", message));
            verdicts.add(Verdict.isFalse(Conditions.RECONCILING, "InvalidSpec", "Waiting for a valid spec."));
            return finish(sf, context, before, verdicts, generation, null);
        }

        var errors = new ArrayList<String>();
        if (sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.InCluster) {
            try {
                PostgresAdminSecret.reconcile(context.getClient(), sf);
            } catch (RuntimeException e) {
                errors.add("Secret " + StorefrontNames.postgresAdminSecret(sf) + ": " + e.getMessage());
            }
        }
        var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
        result.getErroredDependents().forEach((dependent, e) -> {
            LOG.warn("Storefront {}: dependent {} failed", ResourceID.fromResource(sf), dependent.name(), e);
            errors.add(dependent.name() + ": " + e.getMessage());
        });

        var setupProblems = new java.util.HashMap<String, String>();
        GenericKubernetesResource cluster = applyGeneric(sf, context, CnpgCluster.GVK, StorefrontNames.cnpgCluster(sf),
                CnpgCluster.desired(sf), sf.getSpec().database.reclaimPolicy == StorefrontSpec.ReclaimPolicy.Delete,
                errors, setupProblems);
        var cnpgDatabases = new java.util.LinkedHashMap<ShopService, GenericKubernetesResource>();
        if (sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.CloudNativePG && !setupProblems.containsKey("database")) {
            // owned under either reclaim policy: the Database's own policy decides whether deleting it drops the database
            for (ShopService service : ShopService.backends()) {
                cnpgDatabases.put(service, applyGeneric(sf, context, CnpgCluster.DATABASE_GVK,
                        StorefrontNames.cnpgDatabase(sf, service), CnpgCluster.database(sf, service), true, errors, setupProblems));
            }
            applyGeneric(sf, context, CnpgCluster.SCHEDULED_BACKUP_GVK, StorefrontNames.cnpgScheduledBackup(sf),
                    CnpgCluster.scheduledBackup(sf), true, errors, setupProblems);
        }
        GenericKubernetesResource route = applyGeneric(sf, context, HttpRoute.GVK, StorefrontNames.route(sf),
                HttpRoute.desired(sf), true, errors, setupProblems);

        Verdict database = setupProblems.containsKey("database")
                ? Verdict.isFalse(Conditions.DATABASE_READY, "CloudNativePGNotInstalled", setupProblems.get("database"))
                : database(sf, context, status, errors, cluster, cnpgDatabases);
        Verdict messaging = messaging(sf, context);
        Verdict services = services(sf, context, status, database);
        Verdict gateway = setupProblems.containsKey("gateway")
                ? Verdict.isFalse(Conditions.GATEWAY_READY, "GatewayAPINotInstalled", setupProblems.get("gateway"))
                : gateway(sf, context, status, route);
        verdicts.addAll(List.of(database, messaging, services, gateway));
        if (errors.isEmpty()) {
            verdicts.add(Verdict.isFalse(Conditions.DEGRADED, "AsExpected", "No errors in the last reconciliation."));
        } else {
            verdicts.add(Verdict.isTrue(Conditions.DEGRADED, "ReconcileError", String.join("; ", errors)
                    + ". Retrying with back-off."));
        }
        var notReady = List.of(database, messaging, services, gateway).stream().filter(v -> !v.status()).toList();
        if (!errors.isEmpty()) {
            verdicts.add(Verdict.isFalse(Conditions.READY, "ReconcileError", String.join("; ", errors)));
        } else if (notReady.isEmpty()) {
            verdicts.add(Verdict.isTrue(Conditions.READY, "Ready", "The shop is running at " + status.url + "."));
        } else {
            verdicts.add(Verdict.isFalse(Conditions.READY, notReady.getFirst().reason(),
                    notReady.stream().map(Verdict::message).collect(Collectors.joining(" "))));
        }
        var stalled = notReady.stream().filter(v -> NEEDS_A_PERSON.contains(v.reason())).toList();
        if (!stalled.isEmpty()) {
            String message = stalled.stream().map(Verdict::message).collect(Collectors.joining(" "));
            verdicts.add(Verdict.isTrue(Conditions.STALLED, stalled.getFirst().reason(), message));
            verdicts.add(Verdict.isFalse(Conditions.RECONCILING, "Stalled", "Waiting for the fix the Stalled condition names."));
        } else {
            verdicts.add(Verdict.isFalse(Conditions.STALLED, "AsExpected", "Nothing needs a person."));
            if (!errors.isEmpty()) {
                verdicts.add(Verdict.isTrue(Conditions.RECONCILING, "Retrying", "Retrying with back-off after: "
                        + String.join("; ", errors) + "."));
            } else if (notReady.isEmpty()) {
                verdicts.add(Verdict.isFalse(Conditions.RECONCILING, "Ready", "The shop matches generation " + generation + "."));
            } else {
                verdicts.add(Verdict.isTrue(Conditions.RECONCILING, notReady.getFirst().reason(),
                        notReady.getFirst().message()));
            }
        }

        if (!errors.isEmpty()) {
            status.conditions = Conditions.merge(status.conditions, verdicts, generation, Instant.now());
            announce(sf, context, before);
            events.warning(context.getClient(), sf, "ReconcileError", String.join("; ", errors));
            // let JOSDK retry with back-off; updateErrorStatus writes the status computed here
            context.managedWorkflowAndDependentResourceContext().put(PENDING_STATUS, status);
            throw new ReconcileFailure(String.join("; ", errors));
        }
        // the databases just became ready while Deployments wait for them: release them now, not at the next recheck
        boolean released = database.status() && context.getSecondaryResources(Deployment.class).stream()
                .anyMatch(DeploymentsDependent::waitingForDatabase);
        return finish(sf, context, before, verdicts, generation,
                released ? Duration.ofSeconds(1) : notReady.isEmpty() ? null : RECHECK);
    }

    /** Reasons that will not go away without a person: the Storefront is Stalled, not Reconciling. */
    static final java.util.Set<String> NEEDS_A_PERSON = java.util.Set.of("NotOwned", "AdminSecretNotFound",
            "AdminSecretInvalid", "SecretNotFound", "CredentialsSecretNotFound", "TLSSecretNotFound",
            "CloudNativePGNotInstalled", "GatewayAPINotInstalled");

    private UpdateControl<Storefront> finish(Storefront sf, Context<Storefront> context, String before,
                                             List<Verdict> verdicts, Long generation, Duration recheck) {
        sf.getStatus().conditions = Conditions.merge(sf.getStatus().conditions, verdicts, generation, Instant.now());
        announce(sf, context, before);
        return patchIfChanged(sf, before, recheck);
    }

    /** One Event per condition that changed status or reason since the status this reconcile started from. */
    private void announce(Storefront sf, Context<Storefront> context, String before) {
        StorefrontStatus previous = before == null || before.equals("null") ? null
                : Serialization.unmarshal(before, StorefrontStatus.class);
        for (var condition : Conditions.changed(previous == null ? null : previous.conditions, sf.getStatus().conditions)) {
            String message = condition.getType() + "=" + condition.getStatus() + ": " + condition.getMessage();
            if (Conditions.isNormal(condition)) {
                events.normal(context.getClient(), sf, condition.getReason(), message);
            } else {
                events.warning(context.getClient(), sf, condition.getReason(), message);
            }
        }
    }

    @Override
    public ErrorStatusUpdateControl<Storefront> updateErrorStatus(Storefront sf, Context<Storefront> context, Exception e) {
        var pending = context.managedWorkflowAndDependentResourceContext().get(PENDING_STATUS, StorefrontStatus.class);
        StorefrontStatus status = pending.orElseGet(() -> sf.getStatus() == null ? new StorefrontStatus() : sf.getStatus());
        if (pending.isEmpty()) {
            String message = e.getMessage() + ". Retrying with back-off.";
            status.conditions = Conditions.merge(status.conditions, List.of(
                    Verdict.isFalse(Conditions.READY, "ReconcileError", message),
                    Verdict.isTrue(Conditions.DEGRADED, "ReconcileError", message)),
                    sf.getMetadata().getGeneration(), Instant.now());
        }
        sf.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(sf);
    }

    @Override
    public DeleteControl cleanup(Storefront sf, Context<Storefront> context) {
        ResourceID id = ResourceID.fromResource(sf);
        var client = context.getClient();
        boolean inCluster = sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.InCluster;
        if (sf.skipCleanup()) {
            LOG.info("Storefront {} deleted with {}: nothing dropped or deleted on the database server", id,
                    Storefront.SKIP_CLEANUP_ANNOTATION);
            events.normal(client, sf, "CleanupSkipped", "Deleted without cleanup (" + Storefront.SKIP_CLEANUP_ANNOTATION
                    + "): databases, roles and the in-cluster admin Secret are left as they are.");
            return deleted(sf);
        }
        if (sf.getSpec().database.reclaimPolicy != StorefrontSpec.ReclaimPolicy.Delete) {
            String kept = inCluster ? "its databases, the PostgreSQL volume and Secret " + StorefrontNames.postgresAdminSecret(sf)
                    + " (a new Storefront named " + sf.getMetadata().getName() + " adopts them)" : "its databases and roles";
            LOG.info("Storefront {} deleted; reclaimPolicy Retain keeps {}", id, kept);
            events.normal(client, sf, "Retained", "reclaimPolicy Retain keeps " + kept + ".");
            return deleted(sf);
        }
        if (sf.getSpec().database.mode == StorefrontSpec.DatabaseMode.CloudNativePG) {
            // the Database resources (owned, reclaim policy delete) and the owned Cluster go with the Storefront
            return DeleteControl.defaultDelete();
        }
        DatabaseEndpoint endpoint = DatabaseEndpoint.of(sf);
        try {
            AdminLogin admin = adminLogin(sf, context, endpoint);
            if (admin == null) {
                throw new SQLException("admin Secret " + endpoint.adminSecret().name + " is missing or incomplete");
            }
            var refused = new DatabaseProvisioner(admin).drop(owner(sf), serviceDatabases(sf, Map.of()));
            for (var refusal : refused) {
                LOG.warn("Storefront {}: {}", id, refusal.message());
                events.warning(client, sf, "NotOwned", refusal.message() + " (not dropped).");
            }
            LOG.info("Storefront {} deleted; dropped its databases and roles", id);
            if (inCluster) {
                PostgresAdminSecret.delete(client, sf);
            }
            return deleted(sf);
        } catch (SQLException | RuntimeException e) {
            if (endpoint.ownedByStorefront()) {
                // the server and its volume go away with the Storefront, so there is nothing left to keep
                LOG.info("Storefront {}: could not drop databases on its own server ({}); it is deleted with it",
                        id, e.getMessage());
                if (inCluster) {
                    PostgresAdminSecret.delete(client, sf);
                }
                return deleted(sf);
            }
            return cleanupFailed(sf, context, e);
        }
    }

    /**
     * Cleanup could not run: retry with back-off, say why in the status and an Event, and give up after the bound
     * (counted from the deletion timestamp, so an operator restart does not start it again) rather than keep the
     * Storefront, and so its namespace, in Terminating for ever.
     */
    private DeleteControl cleanupFailed(Storefront sf, Context<Storefront> context, Exception e) {
        ResourceID id = ResourceID.fromResource(sf);
        Instant now = Instant.now();
        Instant since = sf.getMetadata().getDeletionTimestamp() == null
                ? cleanupStarted.computeIfAbsent(id, k -> now) : Instant.parse(sf.getMetadata().getDeletionTimestamp());
        Duration bound = OperatorSettings.cleanupTimeout();
        Duration waited = Duration.between(since, now);
        String names = serviceDatabases(sf, Map.of()).stream().map(ServiceDatabase::database).collect(Collectors.joining(", "));
        if (waited.compareTo(bound) >= 0) {
            String message = "Gave up dropping the databases after " + bound + ": " + e.getMessage()
                    + ". Left on the server, drop them by hand: " + names + ".";
            LOG.warn("Storefront {}: {}", id, message);
            events.warning(context.getClient(), sf, "CleanupAbandoned", message);
            return deleted(sf);
        }
        String message = "Cannot drop the databases: " + e.getMessage() + ". Retrying with back-off until "
                + since.plus(bound).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + ", then the Storefront is deleted "
                + "without it; the annotation " + Storefront.SKIP_CLEANUP_ANNOTATION + "=true skips it now.";
        LOG.warn("Storefront {}: {}", id, message);
        events.warning(context.getClient(), sf, "CleanupFailed", message);
        try {
            StorefrontStatus status = sf.getStatus() == null ? new StorefrontStatus() : sf.getStatus();
            status.conditions = Conditions.merge(status.conditions, List.of(
                    Verdict.isFalse(Conditions.READY, "CleanupFailed", message),
                    Verdict.isTrue(Conditions.RECONCILING, "CleanupFailed", message)),
                    sf.getMetadata().getGeneration(), now);
            sf.setStatus(status);
            context.getClient().resource(sf).patchStatus();
        } catch (RuntimeException statusFailure) {
            LOG.debug("Storefront {}: could not write the cleanup status: {}", id, statusFailure.getMessage());
        }
        // back-off doubling with the time waited (2 s, 4 s, ... at most a minute), never past the bound
        Duration next = waited.compareTo(Duration.ofSeconds(2)) < 0 ? Duration.ofSeconds(2) : waited;
        next = next.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : next;
        Duration left = bound.minus(waited).plusMillis(100);
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(next.compareTo(left) > 0 ? left : next);
    }

    private DeleteControl deleted(Storefront sf) {
        ResourceID id = ResourceID.fromResource(sf);
        provisioned.remove(id);
        cleanupStarted.remove(id);
        events.forget(sf);
        return DeleteControl.defaultDelete();
    }

    /** What the schema cannot say (or an old API server did not check). */
    static List<String> specProblems(Storefront sf) {
        var spec = sf.getSpec();
        var problems = new ArrayList<String>();
        for (ShopService service : ShopService.values()) {
            var s = spec.services.get(service);
            if (s.replicas != null && s.replicas < 0) {
                problems.add("services." + service.id() + ".replicas must not be negative");
            }
            if (s.autoscaling != null && s.autoscaling.maxReplicas != null && s.autoscaling.minReplicas != null
                    && s.autoscaling.minReplicas > s.autoscaling.maxReplicas) {
                problems.add("services." + service.id() + ".autoscaling.minReplicas (" + s.autoscaling.minReplicas
                        + ") exceeds maxReplicas (" + s.autoscaling.maxReplicas + ")");
            }
            if (s.autoscaling != null && s.autoscaling.maxReplicas == null) {
                problems.add("services." + service.id() + ".autoscaling.maxReplicas is required");
            }
        }
        if (spec.database.mode == StorefrontSpec.DatabaseMode.External
                && (spec.database.external == null || spec.database.external.host == null
                || spec.database.external.adminSecretRef == null)) {
            problems.add("database.mode External needs database.external.host and adminSecretRef");
        }
        if (spec.messaging.mode == StorefrontSpec.MessagingMode.External
                && (spec.messaging.external == null || spec.messaging.external.url == null)) {
            problems.add("messaging.mode External needs messaging.external.url");
        }
        if (spec.payment.provider == StorefrontSpec.PaymentProvider.stripe && spec.payment.secretRef == null) {
            problems.add("payment.provider stripe needs payment.secretRef");
        }
        if (spec.database.backup != null && spec.database.mode != StorefrontSpec.DatabaseMode.CloudNativePG) {
            problems.add("database.backup needs database.mode CloudNativePG (back up other servers with their own tools)");
        }
        if (spec.messaging.replicas != null && !List.of(1, 3, 5).contains(spec.messaging.replicas)) {
            problems.add("messaging.replicas must be 1, 3 or 5 (a JetStream cluster needs a majority), not " + spec.messaging.replicas);
        }
        return problems;
    }

    /** Applies a generic child; a missing CRD is a setup problem for the status, other failures are retried. */
    private static GenericKubernetesResource applyGeneric(Storefront sf, Context<Storefront> context,
                                                          io.javaoperatorsdk.operator.processing.dependent.kubernetes.GroupVersionKindPlural gvk,
                                                          String name, GenericKubernetesResource desired, boolean owned,
                                                          List<String> errors, Map<String, String> setupProblems) {
        boolean cnpg = CnpgCluster.kinds().contains(gvk);
        try {
            // CloudNativePG objects are shared with CNPG and their users: only the operator's own fields are written
            return cnpg ? GenericChildren.applyOwnedFields(context.getClient(), sf, gvk, name, desired, owned,
                    context.getControllerConfiguration().getConfigurationService().ssaBasedCreateUpdateMatchForDependentResources())
                    : GenericChildren.reconcile(context.getClient(), sf, gvk, name, desired, owned);
        } catch (GenericChildren.CrdMissingException e) {
            setupProblems.put(cnpg ? "database" : "gateway", e.getMessage() + ".");
        } catch (RuntimeException e) {
            errors.add(gvk.getKind() + " " + name + ": " + e.getMessage());
        }
        return null;
    }

    private Verdict database(Storefront sf, Context<Storefront> context, StorefrontStatus status, List<String> errors,
                             GenericKubernetesResource cluster, Map<ShopService, GenericKubernetesResource> cnpgDatabases) {
        var spec = sf.getSpec();
        DatabaseEndpoint endpoint = DatabaseEndpoint.of(sf);
        Map<String, Secret> generated = byName(context.getSecondaryResources(Secret.class), s -> s.getMetadata().getName());
        var previous = status.databases == null ? List.<StorefrontStatus.DatabaseStatus>of() : status.databases;
        ResourceID id = ResourceID.fromResource(sf);
        status.databases = new ArrayList<>();
        for (ShopService service : ShopService.backends()) {
            var db = new StorefrontStatus.DatabaseStatus();
            db.service = service.id();
            db.database = StorefrontNames.database(sf, service);
            db.role = db.database;
            db.secretName = StorefrontNames.databaseSecret(sf, service);
            db.applied = previous.stream().anyMatch(p -> db.database.equals(p.database) && Boolean.TRUE.equals(p.applied))
                    && provisioned.containsKey(id);
            status.databases.add(db);
        }

        switch (spec.database.mode) {
            case InCluster -> {
                if (!isReady(context.getSecondaryResources(StatefulSet.class), StorefrontNames.postgres(sf))) {
                    return Verdict.isFalse(Conditions.DATABASE_READY, "PostgresStarting", "The in-cluster PostgreSQL "
                            + "StatefulSet " + StorefrontNames.postgres(sf) + " has no ready pod yet.");
                }
            }
            case CloudNativePG -> {
                if (!CnpgCluster.isReady(cluster)) {
                    return Verdict.isFalse(Conditions.DATABASE_READY, "ClusterStarting", "The CloudNativePG Cluster "
                            + StorefrontNames.cnpgCluster(sf) + " has no ready instance yet (is the CloudNativePG operator installed?).");
                }
                return cnpgDatabasesReady(sf, status, cnpgDatabases);
            }
            case External -> {
            }
        }
        var adminRef = endpoint.adminSecret();
        Secret adminSecret = context.getClient().secrets().inNamespace(sf.getMetadata().getNamespace())
                .withName(adminRef.name).get();
        if (adminSecret == null) {
            return Verdict.isFalse(Conditions.DATABASE_READY, "AdminSecretNotFound", "Secret " + adminRef.name
                    + " (database admin credentials) was not found in namespace " + sf.getMetadata().getNamespace()
                    + "; create it with keys " + adminRef.usernameKey + " and " + adminRef.passwordKey + ".");
        }
        AdminLogin admin = adminLogin(endpoint, adminSecret);
        if (admin == null) {
            return Verdict.isFalse(Conditions.DATABASE_READY, "AdminSecretInvalid", "Secret " + adminRef.name
                    + " lacks key " + adminRef.usernameKey + "; add it (and " + adminRef.passwordKey + ").");
        }
        var credentials = new java.util.HashMap<ShopService, String>();
        for (ShopService service : ShopService.backends()) {
            Secret secret = generated.get(StorefrontNames.databaseSecret(sf, service));
            String password = secret == null || secret.getData() == null ? null : decode(secret.getData().get("password"));
            if (password == null) {
                return Verdict.isFalse(Conditions.DATABASE_READY, "CredentialsPending", "The login Secret "
                        + StorefrontNames.databaseSecret(sf, service) + " is not written yet.");
            }
            credentials.put(service, password);
        }
        var databases = serviceDatabases(sf, credentials);
        String fingerprint = admin + "|" + databases.stream().map(d -> d.database() + ":" + d.password().hashCode())
                .collect(Collectors.joining(","));
        if (!fingerprint.equals(provisioned.get(id))) {
            try {
                var refused = new DatabaseProvisioner(admin).provision(owner(sf), databases);
                if (!refused.isEmpty()) {
                    String message = refused.stream().map(DatabaseProvisioner.Refusal::message)
                            .collect(Collectors.joining("; ")) + ". Drop or rename it, or set database.namePrefix.";
                    refused.forEach(r -> LOG.warn("Storefront {}: {}", id, r.message()));
                    events.warning(context.getClient(), sf, "NotOwned", message);
                    status.databases.forEach(d -> d.applied = refused.stream().noneMatch(
                            r -> r.name().equals(d.database) || r.name().equals(d.role)));
                    return Verdict.isFalse(Conditions.DATABASE_READY, "NotOwned", message);
                }
                provisioned.put(id, fingerprint);
                LOG.info("Storefront {}: provisioned {} databases on {}", id, databases.size(), admin);
            } catch (SQLException e) {
                provisioned.remove(id);
                status.databases.forEach(d -> d.applied = false);
                errors.add("database provisioning on " + admin + ": " + e.getMessage());
                return Verdict.isFalse(Conditions.DATABASE_READY, "ProvisioningFailed", "Could not create the "
                        + "databases on " + admin + ": " + e.getMessage() + ". Check that the server is reachable "
                        + "and the admin role may CREATE DATABASE and CREATE ROLE.");
            }
        }
        status.databases.forEach(d -> d.applied = true);
        return Verdict.isTrue(Conditions.DATABASE_READY, "Provisioned", databases.size() + " databases and login roles "
                + "exist on " + endpoint.host() + ":" + endpoint.port() + ".");
    }

    /** CloudNativePG makes the databases and roles itself (Database resources, managed roles): report what it says. */
    private static Verdict cnpgDatabasesReady(Storefront sf, StorefrontStatus status,
                                              Map<ShopService, GenericKubernetesResource> databases) {
        var pending = new ArrayList<String>();
        for (var db : status.databases) {
            var resource = databases.get(ShopService.valueOf(db.service.toUpperCase(java.util.Locale.ROOT)));
            db.applied = CnpgCluster.isApplied(resource);
            if (!db.applied) {
                String problem = CnpgCluster.problem(resource);
                pending.add(db.database + (problem == null ? "" : " (" + problem + ")"));
            }
        }
        if (!pending.isEmpty()) {
            return Verdict.isFalse(Conditions.DATABASE_READY, "DatabasesPending", "CloudNativePG has not applied the "
                    + "Database resources of " + String.join(", ", pending) + " in Cluster " + StorefrontNames.cnpgCluster(sf) + " yet.");
        }
        return Verdict.isTrue(Conditions.DATABASE_READY, "Provisioned", status.databases.size() + " databases and "
                + "login roles exist in the CloudNativePG Cluster " + StorefrontNames.cnpgCluster(sf) + ".");
    }

    private Verdict messaging(Storefront sf, Context<Storefront> context) {
        var messaging = sf.getSpec().messaging;
        if (messaging.mode == StorefrontSpec.MessagingMode.InCluster) {
            if (!isReady(context.getSecondaryResources(StatefulSet.class), StorefrontNames.nats(sf))) {
                return Verdict.isFalse(Conditions.MESSAGING_READY, "NatsStarting", "The in-cluster NATS StatefulSet "
                        + StorefrontNames.nats(sf) + " has no ready pod yet.");
            }
            return Verdict.isTrue(Conditions.MESSAGING_READY, "NatsReady", "In-cluster NATS JetStream is ready.");
        }
        var credentials = messaging.external.credentialsSecretRef;
        if (credentials != null) {
            String missing = missingSecretKeys(sf, context, credentials.name, List.of(credentials.key));
            if (missing != null) {
                return Verdict.isFalse(Conditions.MESSAGING_READY, "CredentialsSecretNotFound", missing);
            }
        }
        return Verdict.isTrue(Conditions.MESSAGING_READY, "ExternalConfigured", "Services use the external NATS server; "
                + "their readiness checks report whether it is reachable.");
    }

    private Verdict services(Storefront sf, Context<Storefront> context, StorefrontStatus status, Verdict database) {
        var spec = sf.getSpec();
        var missing = new ArrayList<String>();
        if (spec.payment.provider == StorefrontSpec.PaymentProvider.stripe) {
            var stripe = spec.payment.secretRef;
            String problem = missingSecretKeys(sf, context, stripe.name, List.of(stripe.secretKeyKey, stripe.webhookSecretKey));
            if (problem != null) {
                missing.add(problem);
            }
        }
        if (spec.mail.host != null && spec.mail.secretRef != null) {
            var mail = spec.mail.secretRef;
            String problem = missingSecretKeys(sf, context, mail.name, List.of(mail.usernameKey, mail.passwordKey));
            if (problem != null) {
                missing.add(problem);
            }
        }
        Map<String, Deployment> deployments = byName(context.getSecondaryResources(Deployment.class),
                d -> d.getMetadata().getName());
        status.services = new ArrayList<>();
        var waiting = new ArrayList<String>();
        for (ShopService service : ShopService.values()) {
            Deployment deployment = deployments.get(StorefrontNames.service(sf, service));
            var s = new StorefrontStatus.ServiceStatus();
            s.name = service.id();
            s.image = ServiceEnvironment.image(sf, service);
            Integer wanted = DeploymentsDependent.replicas(sf, service);
            var deploymentStatus = deployment == null ? null : deployment.getStatus();
            s.desiredReplicas = wanted != null ? wanted
                    : deploymentStatus != null && deploymentStatus.getReplicas() != null ? deploymentStatus.getReplicas()
                    : spec.services.get(service).autoscaling.minReplicas;
            s.readyReplicas = deploymentStatus == null || deploymentStatus.getReadyReplicas() == null ? 0
                    : deploymentStatus.getReadyReplicas();
            status.services.add(s);
            boolean current = deployment != null && (deploymentStatus == null || deploymentStatus.getObservedGeneration() == null
                    || deployment.getMetadata().getGeneration() == null
                    || deploymentStatus.getObservedGeneration() >= deployment.getMetadata().getGeneration());
            if (deployment == null || !current || s.readyReplicas < s.desiredReplicas) {
                waiting.add(service.id() + " " + s.readyReplicas + "/" + s.desiredReplicas);
            }
        }
        if (!missing.isEmpty()) {
            return Verdict.isFalse(Conditions.SERVICES_READY, "SecretNotFound", String.join(" ", missing));
        }
        var held = deployments.values().stream().filter(DeploymentsDependent::waitingForDatabase)
                .map(d -> d.getMetadata().getName()).sorted().toList();
        if (!held.isEmpty() && !database.status()) {
            return Verdict.isFalse(Conditions.SERVICES_READY, "WaitingForDatabase", "Deployments "
                    + String.join(", ", held) + " are held at 0 replicas until their databases and roles exist ("
                    + database.reason() + ": " + database.message() + ")");
        }
        if (!waiting.isEmpty()) {
            return Verdict.isFalse(Conditions.SERVICES_READY, "PodsNotReady", "Waiting for ready pods: "
                    + String.join(", ", waiting) + ". Check the pods' events and logs if this lasts.");
        }
        return Verdict.isTrue(Conditions.SERVICES_READY, "AllReplicasReady", "All " + ShopService.values().length
                + " services have their ready replicas.");
    }

    private Verdict gateway(Storefront sf, Context<Storefront> context, StorefrontStatus status,
                            GenericKubernetesResource route) {
        var gateway = sf.getSpec().gateway;
        if (gateway == null) {
            status.url = ServiceEnvironment.serviceUrl(sf, ShopService.WEB).replace(":" + ShopService.PORT,
                    "." + sf.getMetadata().getNamespace() + ".svc:" + ShopService.PORT);
            return Verdict.isTrue(Conditions.GATEWAY_READY, "NotConfigured", "No gateway in the spec: the shop is "
                    + "reachable inside the cluster at " + status.url + ".");
        }
        status.url = (gateway.tlsSecretName != null ? "https://" : "http://") + gateway.host;
        if (gateway.tlsSecretName != null) {
            String missing = missingSecretKeys(sf, context, gateway.tlsSecretName, List.of("tls.crt", "tls.key"));
            if (missing != null) {
                return Verdict.isFalse(Conditions.GATEWAY_READY, "TLSSecretNotFound", missing);
            }
        }
        if (gateway.parentRef != null) {
            if (route == null) {
                return Verdict.isFalse(Conditions.GATEWAY_READY, "RouteMissing", "HTTPRoute "
                        + StorefrontNames.route(sf) + " does not exist yet (are the Gateway API CRDs installed?).");
            }
            if (Serialization.asJson(route.getAdditionalProperties().get("status")).contains("\"status\":\"False\"")) {
                return Verdict.isFalse(Conditions.GATEWAY_READY, "RouteNotAccepted", "Gateway "
                        + gateway.parentRef.name + " did not accept HTTPRoute " + StorefrontNames.route(sf)
                        + "; see the route's status.parents.");
            }
            return Verdict.isTrue(Conditions.GATEWAY_READY, "RouteAttached", "HTTPRoute " + StorefrontNames.route(sf)
                    + " routes " + gateway.host + " through Gateway " + gateway.parentRef.name + ".");
        }
        boolean exists = context.getSecondaryResources(Ingress.class).stream()
                .anyMatch(i -> StorefrontNames.route(sf).equals(i.getMetadata().getName()));
        if (!exists) {
            return Verdict.isFalse(Conditions.GATEWAY_READY, "IngressMissing", "Ingress " + StorefrontNames.route(sf)
                    + " does not exist yet.");
        }
        return Verdict.isTrue(Conditions.GATEWAY_READY, "IngressConfigured", "Ingress " + StorefrontNames.route(sf)
                + " routes " + gateway.host + " to the services.");
    }

    private static AdminLogin adminLogin(Storefront sf, Context<Storefront> context, DatabaseEndpoint endpoint) {
        Secret secret = context.getClient().secrets().inNamespace(sf.getMetadata().getNamespace())
                .withName(endpoint.adminSecret().name).get();
        return secret == null ? null : adminLogin(endpoint, secret);
    }

    private static AdminLogin adminLogin(DatabaseEndpoint endpoint, Secret secret) {
        var data = secret.getData() == null ? Map.<String, String>of() : secret.getData();
        String username = decode(data.get(endpoint.adminSecret().usernameKey));
        String password = decode(data.get(endpoint.adminSecret().passwordKey));
        if (username == null && secret.getStringData() != null) {
            username = secret.getStringData().get(endpoint.adminSecret().usernameKey);
            password = secret.getStringData().get(endpoint.adminSecret().passwordKey);
        }
        return username == null ? null
                : new AdminLogin(endpoint.host(), endpoint.port(), endpoint.sslMode(), username, password);
    }

    static DatabaseProvisioner.Owner owner(Storefront sf) {
        var metadata = sf.getMetadata();
        return new DatabaseProvisioner.Owner(metadata.getUid(), metadata.getNamespace(), metadata.getName());
    }

    static List<ServiceDatabase> serviceDatabases(Storefront sf, Map<ShopService, String> passwords) {
        return ShopService.backends().stream().map(service -> {
            String name = StorefrontNames.database(sf, service);
            return new ServiceDatabase(name, name, passwords.getOrDefault(service, ""));
        }).toList();
    }

    /** A message naming what is missing, or null when the Secret has all the keys. */
    private static String missingSecretKeys(Storefront sf, Context<Storefront> context, String name, List<String> keys) {
        String namespace = sf.getMetadata().getNamespace();
        Secret secret = context.getClient().secrets().inNamespace(namespace).withName(name).get();
        if (secret == null) {
            return "Secret " + name + " was not found in namespace " + namespace + "; create it with keys "
                    + String.join(", ", keys) + ".";
        }
        var present = new java.util.HashSet<String>();
        if (secret.getData() != null) {
            present.addAll(secret.getData().keySet());
        }
        if (secret.getStringData() != null) {
            present.addAll(secret.getStringData().keySet());
        }
        var absent = keys.stream().filter(k -> !present.contains(k)).toList();
        return absent.isEmpty() ? null : "Secret " + name + " lacks keys " + String.join(", ", absent) + "; add them.";
    }

    private static boolean isReady(java.util.Collection<StatefulSet> sets, String name) {
        return sets.stream().filter(s -> name.equals(s.getMetadata().getName())).findFirst()
                .map(s -> s.getStatus() != null && s.getStatus().getReadyReplicas() != null
                        && s.getStatus().getReadyReplicas() >= 1)
                .orElse(false);
    }

    private static <T> Map<String, T> byName(java.util.Collection<T> resources, Function<T, String> name) {
        return resources.stream().collect(Collectors.toMap(name, r -> r, (a, b) -> a));
    }

    private static String decode(String base64) {
        return base64 == null ? null : new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static UpdateControl<Storefront> patchIfChanged(Storefront sf, String before, Duration recheck) {
        UpdateControl<Storefront> control = Objects.equals(before, Serialization.asJson(sf.getStatus()))
                ? UpdateControl.noUpdate() : UpdateControl.patchStatus(sf);
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    /** A failure worth retrying (API server or database server trouble); its message goes into the status. */
    static final class ReconcileFailure extends Exception {
        ReconcileFailure(String message) {
            super(message);
        }
    }
}
