package dev.storefront.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The operator process: one JOSDK Operator with the Storefront reconciler, leader election so that only one replica
 * acts, and an HTTP port with /healthz, /readyz and Prometheus /metrics.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws IOException {
        OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
        KubernetesClient client = new KubernetesClientBuilder().build();
        var registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);

        Operator operator = createOperator(client, settings, overrider -> {
            overrider.withMetrics(MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(registry).build());
            if (!settings.serverSideApply()) {
                // an API server without server-side apply (fabric8's mock, in the cluster-in-a-box test)
                overrider.withUseSSAToPatchPrimaryResource(false).withSSABasedCreateUpdateMatchForDependentResources(false);
            }
        });
        HttpServer http = HttpServer.create(new InetSocketAddress(settings.httpPort()), 0);
        http.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
        http.createContext("/readyz", exchange -> {
            var info = operator.getRuntimeInfo();
            boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
            respond(exchange, ready ? 200 : 503, ready ? "ready" : "not ready");
        });
        http.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape()));
        http.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.stop();
            http.stop(1);
        }, "shutdown"));
        try {
            operator.start();
        } catch (RuntimeException e) {
            // the HTTP server and the client's threads would keep the JVM up with /healthz answering 200 and
            // /readyz 503 for ever: exit, so that Kubernetes restarts the pod (seen in the cluster-in-a-box test
            // when the API server did not answer within the client's connection timeout)
            LOG.error("storefront-operator could not start: {}", e.toString(), e);
            System.exit(1);
        }
        LOG.info("storefront-operator {} started; watching {}", OperatorSettings.version(),
                settings.watchNamespaces().isEmpty() ? "all namespaces" : settings.watchNamespaces());
    }

    /**
     * The Operator as both Main and the tests build it; tests add their own overrides (no server-side apply against
     * the mock API server).
     */
    public static Operator createOperator(KubernetesClient client, OperatorSettings settings,
                                          Consumer<ConfigurationServiceOverrider> overrides) {
        Operator operator = new Operator(overrider -> {
            overrider.withKubernetesClient(client)
                    .withCloseClientOnStop(true)
                    .withStopOnInformerErrorDuringStartup(true);
            if (settings.leaderElection()) {
                overrider.withLeaderElectionConfiguration(
                        new LeaderElectionConfiguration(settings.leaseName(), settings.operatorNamespace()));
            }
            overrides.accept(overrider);
        });
        operator.register(new StorefrontReconciler(), configuration -> {
            if (!settings.watchNamespaces().isEmpty()) {
                configuration.settingNamespaces(settings.watchNamespaces());
            }
        });
        return operator;
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type",
                body.startsWith("#") ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
