package dev.storefront.images;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster in a box: fabric8's mock API server (CRUD, HTTPS) as the API, and this harness as the node. It plays
 * the Deployment controller (replicas, RollingUpdate with maxSurge/maxUnavailable, by pod-template hash), kubelet
 * (a pod is the image's entrypoint in its unpacked root, in its own network namespace and address, env resolved
 * from the template: values, secretKeyRef, configMapKeyRef, fieldRef, envFrom, service links; startup, readiness
 * and liveness probes on their schedule; restartPolicy with back-off; Pod and Deployment status written back),
 * kube-proxy (each Service gets an address; connections go round robin to its ready pods) and DNS (each pod's
 * /etc/hosts names every Service). Close it to stop every pod and remove every namespace, mount and address.
 */
final class Box implements AutoCloseable {
    static final int API_PORT = 6443;

    final Path work;
    final KubernetesMockServer server;
    final KubernetesClient client;
    final PodNetwork net;
    final Map<String, OciImage> imagesByName = new LinkedHashMap<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    private final List<TcpProxy> nodeProxies = new ArrayList<>();
    private final Map<String, Kubelet> pods = new ConcurrentHashMap<>();
    private final Map<String, ServiceProxy> services = new ConcurrentHashMap<>();
    /** Namespaces whose Deployments this node runs (a namespace is not run until the test says so). */
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final Map<String, Path> roots = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("box-controllers").daemon().factory());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger podCounter = new AtomicInteger();
    private final AtomicInteger ticks = new AtomicInteger();
    private io.fabric8.kubernetes.client.informers.SharedIndexInformer<Deployment> deployments;
    private io.fabric8.kubernetes.client.informers.SharedIndexInformer<Service> servicesSeen;
    private final long bootNanos = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    private final Thread cleanUpOnExit = new Thread(this::close, "box-cleanup");

    Box(Path work, Map<String, OciImage> images) throws IOException {
        this.work = Files.createDirectories(work);
        OciImage.run(List.of("rm", "-rf", work.resolve("logs").toString(), work.resolve("hosts").toString()));
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING); // it logs every request at INFO
        images.values().forEach(image -> imagesByName.put(image.name(), image));
        PodNetwork.removeLeftovers();
        net = new PodNetwork();
        // a killed test JVM (SIGTERM, Ctrl-C) still removes its pods, namespaces and bridge
        Runtime.getRuntime().addShutdownHook(cleanUpOnExit);
        try {
            var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest, java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
            server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), true);
            server.init();
            client = server.createClient();
            // the node's way out: the API server, and this machine's PostgreSQL and NATS as the "external" ones
            nodeProxies.add(new TcpProxy(net.nodeAddress, API_PORT,
                    () -> new InetSocketAddress(server.getHostName(), server.getPort())));
            nodeProxies.add(new TcpProxy(net.nodeAddress, 5432, () -> new InetSocketAddress("127.0.0.1", 5432)));
            nodeProxies.add(new TcpProxy(net.nodeAddress, 4222, () -> new InetSocketAddress("127.0.0.1", 4222)));
            // watches, not a list per tick: the mock answers the operator too, on a busy machine
            deployments = client.apps().deployments().inAnyNamespace().inform();
            servicesSeen = client.services().inAnyNamespace().inform();
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
        loop.scheduleWithFixedDelay(this::tick, 200, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * The API server's answer to SelfSubjectRulesReview (which JOSDK asks before leader election and the CRUD mock
     * cannot answer): the rules RBAC grants the operator, from the chart's own Roles.
     */
    void grantRules(String namespace, List<PolicyRule> rules) {
        var review = new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(namespace).endSpec()
                .withNewStatus().withIncomplete(false)
                .withResourceRules(rules.stream().map(r -> new ResourceRuleBuilder().withApiGroups(r.getApiGroups())
                        .withResources(r.getResources()).withVerbs(r.getVerbs()).withResourceNames(r.getResourceNames()).build()).toList())
                .endStatus().build();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews").andReturn(201, review).always();
    }

    /** Run the Deployments of this namespace from now on. */
    void schedule(String namespace) {
        scheduled.add(namespace);
    }

    void event(String text) {
        String line = String.format(Locale.ROOT, "%7.1f s  %s", (System.nanoTime() - bootNanos) / 1e9, text);
        events.add(line);
        System.out.println("[box] " + line);
    }

    List<Kubelet> pods() {
        return pods.values().stream().sorted((a, b) -> Long.compare(a.created, b.created)).toList();
    }

    List<Kubelet> pods(String namespace, String deployment) {
        return pods().stream().filter(p -> p.namespace.equals(namespace) && p.deployment.equals(deployment)
                && !p.terminating).toList();
    }

    /**
     * One ready endpoint of a Service's port, round robin (a gateway balances requests over endpoints; kube-proxy
     * only balances connections, which one keep-alive connection would pin to a single pod). Null when none is ready.
     */
    InetSocketAddress endpoint(String namespace, String service, int port) {
        ServiceProxy proxy = services.get(namespace + "/" + service);
        if (proxy == null) {
            return null;
        }
        var servicePort = proxy.service.getSpec().getPorts().stream().filter(p -> p.getPort() == port).findFirst().orElse(null);
        return servicePort == null ? null : proxy.endpoint(servicePort.getTargetPort(), port);
    }

    /** The Service's address (from inside the box or this machine), once the harness has seen the Service. */
    String serviceAddress(String namespace, String name) {
        ServiceProxy proxy = services.get(namespace + "/" + name);
        return proxy == null ? null : proxy.address;
    }

    // ---------------------------------------------------------------- controllers

    private synchronized void tick() {
        if (closed.get()) {
            return;
        }
        try {
            if (ticks.incrementAndGet() % 4 == 0) {
                collectGarbage();
            }
            syncServices();
            var seen = new java.util.HashSet<String>();
            for (Deployment deployment : deployments.getStore().list()) {
                String ns = deployment.getMetadata().getNamespace();
                if (!scheduled.contains(ns)) {
                    continue;
                }
                seen.add(ns + "/" + deployment.getMetadata().getName());
                reconcile(deployment);
            }
            for (Kubelet pod : pods.values()) {
                String key = pod.namespace + "/" + pod.deployment;
                if (pod.standalone || seen.contains(key) || pod.terminating) {
                    continue;
                }
                // a list can miss an object the mock is replacing: gone only when a direct read says so too
                if (client.apps().deployments().inNamespace(pod.namespace).withName(pod.deployment).get() == null) {
                    event("deployment " + pod.namespace + "/" + pod.deployment + " is gone: stopping pod " + pod.name);
                    pod.terminate();
                }
            }
        } catch (RuntimeException e) {
            event("controller tick failed: " + e);
        }
    }

    /**
     * The garbage collector's part: what a deleted Storefront owned (ownerReferences to a uid that no longer exists)
     * is deleted, in the namespaces this node runs, as the API server's garbage collector does in the background.
     */
    private void collectGarbage() {
        for (String ns : scheduled) {
            var owners = new java.util.HashSet<String>();
            client.genericKubernetesResources("storefront.dev/v1alpha1", "Storefront").inNamespace(ns).list().getItems()
                    .forEach(sf -> owners.add(sf.getMetadata().getUid()));
            List<io.fabric8.kubernetes.api.model.HasMetadata> owned = new ArrayList<>();
            owned.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
            owned.addAll(client.services().inNamespace(ns).list().getItems());
            owned.addAll(client.configMaps().inNamespace(ns).list().getItems());
            owned.addAll(client.secrets().inNamespace(ns).list().getItems());
            for (var resource : owned) {
                var refs = resource.getMetadata().getOwnerReferences();
                if (refs != null && !refs.isEmpty() && refs.stream().allMatch(r -> "Storefront".equals(r.getKind())
                        && !owners.contains(r.getUid()))) {
                    event("garbage collector: " + resource.getKind() + " " + ns + "/" + resource.getMetadata().getName()
                            + " lost its owner");
                    client.resource(resource).delete();
                }
            }
        }
    }

    private void reconcile(Deployment deployment) {
        String ns = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName();
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String hash = templateHash(deployment.getSpec().getTemplate());
        List<Kubelet> mine = pods(ns, name);
        List<Kubelet> current = mine.stream().filter(p -> p.hash.equals(hash)).toList();
        List<Kubelet> old = mine.stream().filter(p -> !p.hash.equals(hash)).toList();
        long ready = mine.stream().filter(p -> p.ready).count();
        var strategy = deployment.getSpec().getStrategy();
        boolean recreate = strategy != null && "Recreate".equals(strategy.getType());
        int maxSurge = recreate ? 0 : bound(strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getMaxSurge(), replicas, true);
        int maxUnavailable = recreate ? replicas : bound(strategy == null || strategy.getRollingUpdate() == null ? null
                : strategy.getRollingUpdate().getMaxUnavailable(), replicas, false);
        if (maxSurge == 0 && maxUnavailable == 0) {
            maxUnavailable = 1; // as the API server's validation would demand
        }
        if (!old.isEmpty() && ready - 1 >= replicas - maxUnavailable) {
            // an old pod may go: enough pods stay ready
            Kubelet victim = old.stream().filter(p -> !p.ready).findFirst().orElse(old.getFirst());
            event("rolling " + ns + "/" + name + ": stopping old pod " + victim.name);
            victim.terminate();
        } else if (current.size() < replicas && mine.size() < replicas + maxSurge) {
            startPod(deployment, hash);
        } else if (old.isEmpty() && current.size() > replicas) {
            Kubelet victim = current.stream().filter(p -> !p.ready).reduce((a, b) -> b).orElse(current.getLast());
            event("scaling " + ns + "/" + name + " down to " + replicas + ": stopping " + victim.name);
            victim.terminate();
        }
        mine = pods(ns, name);
        DeploymentStatus status = new DeploymentStatusBuilder()
                .withObservedGeneration(deployment.getMetadata().getGeneration())
                .withReplicas(mine.size())
                .withUpdatedReplicas((int) mine.stream().filter(p -> p.hash.equals(hash)).count())
                .withReadyReplicas((int) mine.stream().filter(p -> p.ready).count())
                .withAvailableReplicas((int) mine.stream().filter(p -> p.ready).count())
                .withUnavailableReplicas((int) mine.stream().filter(p -> !p.ready).count())
                .build();
        if (!Objects.equals(normalise(status), normalise(deployment.getStatus()))) {
            deployment.setStatus(status);
            try {
                client.resource(deployment).updateStatus();
            } catch (RuntimeException e) {
                // a newer version was written meanwhile: the next tick writes again
            }
        }
    }

    private static String normalise(DeploymentStatus status) {
        if (status == null) {
            return "";
        }
        return status.getObservedGeneration() + "/" + status.getReplicas() + "/" + status.getUpdatedReplicas() + "/"
                + status.getReadyReplicas() + "/" + status.getAvailableReplicas() + "/" + status.getUnavailableReplicas();
    }

    private static int bound(IntOrString value, int replicas, boolean roundUp) {
        if (value == null) {
            return Math.max(roundUp ? 1 : 0, (int) (roundUp ? Math.ceil(replicas * 0.25) : Math.floor(replicas * 0.25)));
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        double percent = Double.parseDouble(value.getStrVal().replace("%", "")) / 100.0;
        return (int) (roundUp ? Math.ceil(replicas * percent) : Math.floor(replicas * percent));
    }

    static String templateHash(PodTemplateSpec template) {
        try {
            String json = io.fabric8.kubernetes.client.utils.Serialization.asJson(template);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void startPod(Deployment deployment, String hash) {
        String ns = deployment.getMetadata().getNamespace();
        String name = deployment.getMetadata().getName() + "-" + hash.substring(0, 6) + "-"
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36, 36 * 36 * 36 * 36 * 36), 36);
        var pod = new Kubelet(ns, name, deployment.getMetadata().getName(), hash, deployment.getSpec().getTemplate(),
                deployment.getMetadata().getUid(), false, Map.of());
        pods.put(ns + "/" + name, pod);
        event("deployment " + ns + "/" + deployment.getMetadata().getName() + ": new pod " + name);
        Thread.ofVirtual().name("kubelet-" + name).start(pod::run);
    }

    /**
     * A pod outside any Deployment (the per-image test): the template as the Deployment has it, not scheduled by a
     * controller, with {@code extraEnv} on top (empty for the shop's own images).
     */
    Kubelet runStandalone(String namespace, String name, PodTemplateSpec template, Map<String, String> extraEnv) {
        if (closed.get()) {
            throw new IllegalStateException("the box is closed");
        }
        var pod = new Kubelet(namespace, name, name, templateHash(template), template, null, true, extraEnv);
        pods.put(namespace + "/" + name, pod);
        Thread.ofVirtual().name("kubelet-" + name).start(pod::run);
        return pod;
    }

    // ---------------------------------------------------------------- kube-proxy and DNS

    private void syncServices() {
        boolean changed = false;
        var present = new java.util.HashSet<String>();
        for (Service service : servicesSeen.getStore().list()) {
            String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
            present.add(key);
            if (!services.containsKey(key)) {
                try {
                    services.put(key, new ServiceProxy(service, net.serviceAddress()));
                    changed = true;
                } catch (IOException e) {
                    event("kube-proxy: cannot serve " + key + ": " + e.getMessage());
                }
            } else {
                services.get(key).service = service;
            }
        }
        for (var entry : List.copyOf(services.entrySet())) {
            if (!present.contains(entry.getKey())) {
                entry.getValue().close();
                services.remove(entry.getKey());
                changed = true;
            }
        }
        if (changed) {
            pods.values().forEach(Kubelet::writeHosts);
        }
    }

    private String hostsFile(Kubelet pod) {
        var text = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost\n");
        if (pod.ip != null) {
            text.append(pod.ip).append('\t').append(pod.name).append('\n');
        }
        for (var entry : services.entrySet()) {
            String[] key = entry.getKey().split("/");
            String names = key[1] + "." + key[0] + " " + key[1] + "." + key[0] + ".svc " + key[1] + "." + key[0]
                    + ".svc.cluster.local";
            text.append(entry.getValue().address).append('\t')
                    .append(key[0].equals(pod.namespace) ? key[1] + " " : "").append(names).append('\n');
        }
        return text.toString();
    }

    /** One Service: its address and a forwarder per port to the ready pods its selector picks. */
    private final class ServiceProxy {
        final String address;
        volatile Service service;
        final List<TcpProxy> proxies = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger();

        ServiceProxy(Service service, String address) throws IOException {
            this.address = address;
            this.service = service;
            for (var port : service.getSpec().getPorts()) {
                proxies.add(new TcpProxy(address, port.getPort(), () -> endpoint(port.getTargetPort(), port.getPort())));
            }
        }

        InetSocketAddress endpoint(IntOrString targetPort, int port) {
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null) {
                return null;
            }
            List<Kubelet> ready = pods().stream()
                    .filter(p -> p.namespace.equals(service.getMetadata().getNamespace()) && p.ready && !p.terminating)
                    .filter(p -> p.labels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (ready.isEmpty()) {
                return null;
            }
            Kubelet pod = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
            pod.served.incrementAndGet();
            return new InetSocketAddress(pod.ip, pod.containerPort(targetPort == null ? new IntOrString(port) : targetPort));
        }

        void close() {
            proxies.forEach(TcpProxy::close);
        }
    }

    // ---------------------------------------------------------------- kubelet

    /** One pod on this node: its network namespace, its container's runs, probes and status. */
    final class Kubelet {
        final String namespace;
        final String name;
        final String deployment;
        final String hash;
        final PodTemplateSpec template;
        final String ownerUid;
        final boolean standalone;
        final Map<String, String> extraEnv;
        final long created = System.nanoTime();
        final AtomicInteger served = new AtomicInteger();
        final String netns;
        final Path hosts;
        volatile String ip;
        volatile boolean ready;
        volatile boolean terminating;
        volatile int restarts;
        /** Seconds from the first container start to the first Ready. */
        volatile double secondsToReady = -1;
        volatile String image;
        volatile String waitingReason;
        volatile dev.storefront.images.Container container;
        private volatile boolean stopped;

        Kubelet(String namespace, String name, String deployment, String hash, PodTemplateSpec template, String ownerUid,
                boolean standalone, Map<String, String> extraEnv) {
            this.namespace = namespace;
            this.name = name;
            this.netns = "sfbox" + net.id + "p" + podCounter.incrementAndGet();
            this.hosts = work.resolve("hosts").resolve(name);
            this.deployment = deployment;
            this.hash = hash;
            this.template = template;
            this.extraEnv = Map.copyOf(extraEnv);
            this.ownerUid = ownerUid;
            this.standalone = standalone;
        }

        Map<String, String> labels() {
            return template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
        }

        Container spec() {
            return template.getSpec().getContainers().getFirst();
        }

        int containerPort(IntOrString port) {
            if (port.getIntVal() != null) {
                return port.getIntVal();
            }
            return spec().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                    .map(ContainerPort::getContainerPort).findFirst()
                    .orElseThrow(() -> new IllegalStateException(name + " has no port named " + port.getStrVal()));
        }

        void run() {
            try {
                ip = net.addPod(netns);
                Files.createDirectories(hosts.getParent());
                writeHosts();
                int backoff = 1;
                while (!terminating) {
                    Map<String, String> env;
                    OciImage oci = imagesByName.get(spec().getImage());
                    image = spec().getImage();
                    if (oci == null) {
                        waiting("ErrImageNeverPull", "image " + spec().getImage() + " is not one the build produced");
                        sleep(2000);
                        continue;
                    }
                    try {
                        env = environment(oci);
                    } catch (IllegalStateException e) {
                        waiting("CreateContainerConfigError", e.getMessage());
                        sleep(1000);
                        continue;
                    }
                    waitingReason = null;
                    Path root = roots.computeIfAbsent(oci.digest(), d -> unpack(oci));
                    List<String> command = new ArrayList<>(spec().getCommand() == null || spec().getCommand().isEmpty()
                            ? oci.entrypoint() : spec().getCommand());
                    command.addAll(spec().getArgs() == null || spec().getArgs().isEmpty()
                            ? (spec().getCommand() == null || spec().getCommand().isEmpty() ? oci.cmd() : List.of())
                            : spec().getArgs());
                    long start = System.nanoTime();
                    container = dev.storefront.images.Container.start(name, oci, root, netns, hosts, command, env,
                            work.resolve("logs").resolve(name + ".log"));
                    publish();
                    boolean healthy = probe(start);
                    ready = false;
                    if (terminating) {
                        break;
                    }
                    container.stop(healthy ? 30 : 2);
                    int exit = container.process.exitValue();
                    String policy = template.getSpec().getRestartPolicy() == null ? "Always" : template.getSpec().getRestartPolicy();
                    if ("Never".equals(policy) || ("OnFailure".equals(policy) && exit == 0)) {
                        event("pod " + name + " exited " + exit + "; restartPolicy " + policy + ": not restarted");
                        publish();
                        return;
                    }
                    restarts++;
                    event("pod " + name + " container exited (" + exit + "): restart " + restarts + " after " + backoff + " s"
                            + " (restartPolicy " + policy + ")\n" + container.tail(5).indent(12));
                    publish();
                    sleep(backoff * 1000L);
                    backoff = Math.min(backoff * 2, 10);
                }
            } catch (Exception e) {
                event("pod " + name + " failed: " + e);
            } finally {
                cleanUp();
            }
        }

        private Path unpack(OciImage oci) {
            try {
                return oci.unpack(Images.roots());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Runs the probes until the container exits (false) or the pod is terminated; false too when liveness or
         * the startup probe gives up (the container is then restarted).
         */
        private boolean probe(long start) {
            if (standalone) {
                return measureReady(start);
            }
            Probe startup = spec().getStartupProbe();
            Probe readiness = spec().getReadinessProbe();
            Probe liveness = spec().getLivenessProbe();
            long startupDone = startup == null ? start : -1;
            int startupFailures = 0;
            int livenessFailures = 0;
            int readinessFailures = 0;
            int readinessSuccesses = 0;
            long nextStartup = start + seconds(startup == null ? 0 : orZero(startup.getInitialDelaySeconds()));
            long nextReadiness = Long.MIN_VALUE;
            long nextLiveness = Long.MIN_VALUE;
            while (!terminating && container.running()) {
                long now = System.nanoTime();
                if (startupDone < 0) {
                    if (now >= nextStartup) {
                        if (check(startup)) {
                            startupDone = now;
                            nextReadiness = now + seconds(readiness == null ? 0 : orZero(readiness.getInitialDelaySeconds()));
                            nextLiveness = now + seconds(liveness == null ? 0 : orZero(liveness.getInitialDelaySeconds()));
                        } else if (++startupFailures >= threshold(startup.getFailureThreshold(), 3)) {
                            event("pod " + name + ": startup probe failed " + startupFailures + " times: killing the container");
                            return false;
                        }
                        nextStartup = System.nanoTime() + seconds(period(startup));
                    }
                } else {
                    if (nextReadiness == Long.MIN_VALUE) {
                        nextReadiness = startupDone + seconds(readiness == null ? 0 : orZero(readiness.getInitialDelaySeconds()));
                        nextLiveness = startupDone + seconds(liveness == null ? 0 : orZero(liveness.getInitialDelaySeconds()));
                    }
                    if (now >= nextReadiness) {
                        boolean ok = readiness == null || check(readiness);
                        if (ok) {
                            readinessFailures = 0;
                            if (++readinessSuccesses >= threshold(readiness == null ? null : readiness.getSuccessThreshold(), 1) && !ready) {
                                ready = true;
                                if (secondsToReady < 0) {
                                    secondsToReady = (System.nanoTime() - start) / 1e9;
                                }
                                event("pod " + name + " Ready after " + String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9)
                                        + " s (" + ip + ")");
                                publish();
                            }
                        } else {
                            readinessSuccesses = 0;
                            if (++readinessFailures >= threshold(readiness.getFailureThreshold(), 3) && ready) {
                                ready = false;
                                event("pod " + name + " not ready (readiness probe failed " + readinessFailures + " times)");
                                publish();
                            }
                        }
                        nextReadiness = System.nanoTime() + seconds(period(readiness));
                    }
                    if (liveness != null && now >= nextLiveness) {
                        if (check(liveness)) {
                            livenessFailures = 0;
                        } else if (++livenessFailures >= threshold(liveness.getFailureThreshold(), 3)) {
                            event("pod " + name + ": liveness probe failed " + livenessFailures + " times: restarting");
                            return false;
                        }
                        nextLiveness = System.nanoTime() + seconds(period(liveness));
                    }
                }
                sleep(100);
            }
            return true;
        }

        /**
         * The per-image measurement: the readiness probe's request every 100 ms from the start, so that the time is the
         * image's own and not rounded up to the probe schedule (periodSeconds 5); then the pod just runs.
         */
        private boolean measureReady(long start) {
            Probe readiness = spec().getReadinessProbe();
            while (!terminating && container.running()) {
                if (!ready && check(readiness)) {
                    ready = true;
                    secondsToReady = (System.nanoTime() - start) / 1e9;
                    event("pod " + name + " Ready after " + String.format(Locale.ROOT, "%.2f", secondsToReady) + " s (" + ip + ")");
                }
                sleep(ready ? 500 : 100);
            }
            return true;
        }

        private boolean check(Probe probe) {
            if (probe.getHttpGet() == null) {
                throw new IllegalStateException(name + ": only httpGet probes are played by this node, got " + probe);
            }
            int port = containerPort(probe.getHttpGet().getPort());
            int timeout = probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds();
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + probe.getHttpGet().getPath()))
                        .timeout(Duration.ofSeconds(timeout)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return response.statusCode() >= 200 && response.statusCode() < 400;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** The container's environment as kubelet makes it (image env first; the pod's wins). */
        Map<String, String> environment(OciImage oci) {
            var env = new LinkedHashMap<String, String>(oci.env());
            env.put("HOSTNAME", name);
            env.put("KUBERNETES_SERVICE_HOST", net.nodeAddress);
            env.put("KUBERNETES_SERVICE_PORT", String.valueOf(API_PORT));
            // no service account token or CA is mounted: the client trusts the mock server's self-signed certificate
            env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
            env.put("KUBERNETES_DISABLE_HOSTNAME_VERIFICATION", "true");
            if (!Boolean.FALSE.equals(template.getSpec().getEnableServiceLinks())) {
                services.forEach((key, proxy) -> {
                    if (!key.startsWith(namespace + "/")) {
                        return;
                    }
                    String prefix = key.substring(namespace.length() + 1).toUpperCase(Locale.ROOT).replace('-', '_');
                    var ports = proxy.service.getSpec().getPorts();
                    if (ports.isEmpty()) {
                        return;
                    }
                    int first = ports.getFirst().getPort();
                    env.put(prefix + "_SERVICE_HOST", proxy.address);
                    env.put(prefix + "_SERVICE_PORT", String.valueOf(first));
                    env.put(prefix + "_PORT", "tcp://" + proxy.address + ":" + first);
                    for (var port : ports) {
                        if (port.getName() != null) {
                            env.put(prefix + "_SERVICE_PORT_" + port.getName().toUpperCase(Locale.ROOT).replace('-', '_'),
                                    String.valueOf(port.getPort()));
                        }
                        String p = prefix + "_PORT_" + port.getPort() + "_TCP";
                        env.put(p, "tcp://" + proxy.address + ":" + port.getPort());
                        env.put(p + "_PROTO", "tcp");
                        env.put(p + "_PORT", String.valueOf(port.getPort()));
                        env.put(p + "_ADDR", proxy.address);
                    }
                });
            }
            Container c = spec();
            if (c.getEnvFrom() != null) {
                for (var from : c.getEnvFrom()) {
                    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                    if (from.getConfigMapRef() != null) {
                        var cm = client.configMaps().inNamespace(namespace).withName(from.getConfigMapRef().getName()).get();
                        addAll(env, prefix, "configmap", from.getConfigMapRef().getName(), from.getConfigMapRef().getOptional(),
                                cm == null ? null : cm.getData() == null ? Map.of() : cm.getData());
                    }
                    if (from.getSecretRef() != null) {
                        var secret = client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
                        addAll(env, prefix, "secret", from.getSecretRef().getName(), from.getSecretRef().getOptional(),
                                secret == null ? null : secretData(secret));
                    }
                }
            }
            if (c.getEnv() != null) {
                for (EnvVar var : c.getEnv()) {
                    String value = value(var, env);
                    if (value != null) {
                        env.put(var.getName(), value);
                    }
                }
            }
            env.putAll(extraEnv);
            return env;
        }

        /** envFrom: every key of a ConfigMap or Secret (null when it does not exist), prefixed. */
        private static void addAll(Map<String, String> env, String prefix, String kind, String name, Boolean optional,
                                   Map<String, String> data) {
            if (data == null && !Boolean.TRUE.equals(optional)) {
                throw new IllegalStateException(kind + " \"" + name + "\" not found");
            }
            if (data != null) {
                data.forEach((k, v) -> env.put(prefix + k, v));
            }
        }

        private String value(EnvVar var, Map<String, String> env) {
            if (var.getValueFrom() == null) {
                return var.getValue() == null ? "" : expand(var.getValue(), env);
            }
            var from = var.getValueFrom();
            if (from.getSecretKeyRef() != null) {
                var ref = from.getSecretKeyRef();
                var secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                String value = secret == null ? null : secretData(secret).get(ref.getKey());
                if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new IllegalStateException(secret == null ? "secret \"" + ref.getName() + "\" not found"
                            : "couldn't find key " + ref.getKey() + " in Secret " + namespace + "/" + ref.getName());
                }
                return value;
            }
            if (from.getConfigMapKeyRef() != null) {
                var ref = from.getConfigMapKeyRef();
                var cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
                String value = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
                if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
                    throw new IllegalStateException("couldn't find key " + ref.getKey() + " in ConfigMap " + namespace + "/" + ref.getName());
                }
                return value;
            }
            if (from.getFieldRef() != null) {
                return switch (from.getFieldRef().getFieldPath()) {
                    case "metadata.name" -> name;
                    case "metadata.namespace" -> namespace;
                    case "status.podIP" -> ip;
                    case "spec.nodeName" -> "box";
                    case "spec.serviceAccountName" -> template.getSpec().getServiceAccountName();
                    default -> throw new IllegalStateException("fieldRef " + from.getFieldRef().getFieldPath() + " is not played");
                };
            }
            throw new IllegalStateException("env " + var.getName() + ": valueFrom " + from + " is not played by this node");
        }

        private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

        /** Kubernetes' $(VAR) expansion: defined names are replaced, others stay as written. */
        private static String expand(String value, Map<String, String> env) {
            Matcher m = REFERENCE.matcher(value);
            var out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(env.getOrDefault(m.group(1), m.group())));
            }
            m.appendTail(out);
            return out.toString();
        }

        private static Map<String, String> secretData(io.fabric8.kubernetes.api.model.Secret secret) {
            var data = new LinkedHashMap<String, String>();
            if (secret.getData() != null) {
                secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
            }
            if (secret.getStringData() != null) {
                data.putAll(secret.getStringData());
            }
            return data;
        }

        void writeHosts() {
            try {
                // in place: the file is bind-mounted into the running container, a new inode would not be seen
                Files.writeString(hosts, hostsFile(this), StandardCharsets.UTF_8);
            } catch (IOException e) {
                event("pod " + name + ": cannot write /etc/hosts: " + e.getMessage());
            }
        }

        private void waiting(String reason, String message) {
            if (!Objects.equals(waitingReason, reason + message)) {
                waitingReason = reason + message;
                event("pod " + name + " waiting: " + reason + ": " + message);
            }
        }

        /** Writes the Pod to the API server as kubelet reports it. */
        private void publish() {
            if (standalone) {
                return;
            }
            try {
                var builder = new PodBuilder()
                        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels())
                        .addToLabels("pod-template-hash", hash)
                        .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(deployment)
                        .withUid(ownerUid).withController(true).endOwnerReference()
                        .endMetadata()
                        .withSpec(template.getSpec())
                        .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP(net.nodeAddress)
                        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                        .addNewContainerStatus().withName(spec().getName()).withImage(image).withReady(ready)
                        .withRestartCount(restarts).withStarted(container != null && container.running()).endContainerStatus()
                        .endStatus();
                Pod pod = builder.build();
                client.pods().inNamespace(namespace).resource(pod).createOr(op -> op.update());
            } catch (RuntimeException e) {
                // the next change writes again
            }
        }

        /** Stops the pod: SIGTERM, then SIGKILL after the grace period; its namespace and Pod go. */
        void terminate() {
            terminating = true;
            ready = false;
            Thread.ofVirtual().start(this::cleanUp);
        }

        private synchronized void cleanUp() {
            if (stopped) {
                return;
            }
            ready = false;
            var current = container;
            if (current != null && current.running()) {
                Long grace = template.getSpec().getTerminationGracePeriodSeconds();
                current.stop(grace == null ? 30 : grace);
            }
            if (!terminating) {
                return; // restartPolicy Never: the pod stays (Failed) until it is deleted
            }
            stopped = true;
            net.removePod(netns);
            pods.remove(namespace + "/" + name);
            if (!standalone) {
                try {
                    client.pods().inNamespace(namespace).withName(name).delete();
                } catch (RuntimeException e) {
                    // gone already
                }
            }
            try {
                Files.deleteIfExists(hosts);
            } catch (IOException ignored) {
                // the work directory goes with the test run
            }
        }

        /** Waits until the pod has stopped and its namespace is gone. */
        void awaitStopped(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!stopped && System.nanoTime() < deadline) {
                sleep(100);
            }
        }
    }

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static int period(Probe probe) {
        return probe == null || probe.getPeriodSeconds() == null ? 10 : probe.getPeriodSeconds();
    }

    /** failureThreshold defaults to 3, successThreshold to 1. */
    private static int threshold(Integer value, int kubernetesDefault) {
        return value == null ? kubernetesDefault : value;
    }

    /** Pauses the calling thread (an interrupt ends the pause early; the loops then see their stop flags). */
    static void sleep(long millis) {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != cleanUpOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUpOnExit);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
        loop.shutdownNow();
        scheduled.clear();
        // no locks and bounded waits: this also runs as a shutdown hook, while other threads may be anywhere
        var all = List.copyOf(pods.values());
        all.forEach(p -> {
            p.terminating = true;
            p.ready = false;
            var c = p.container;
            if (c != null) {
                c.mainProcess().ifPresent(ProcessHandle::destroy);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (var p : all) {
            var c = p.container;
            if (c == null) {
                continue;
            }
            try {
                if (!c.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    c.kill();
                }
            } catch (InterruptedException e) {
                c.kill();
            }
        }
        services.values().forEach(ServiceProxy::close);
        nodeProxies.forEach(TcpProxy::close);
        net.close();
        var stopApi = Thread.ofPlatform().daemon().start(() -> {
            deployments.close();
            servicesSeen.close();
            client.close();
            server.destroy();
        });
        try {
            stopApi.join(5000);
        } catch (InterruptedException ignored) {
            // the JVM is going anyway
        }
    }
}
