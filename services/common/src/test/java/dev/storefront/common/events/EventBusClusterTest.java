package dev.storefront.common.events;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.nats.client.api.PublishAck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The kit against a three-node JetStream cluster with per-service users, as the operator runs it with
 * {@code messaging.replicas: 3}: three local nats-server processes on 127.0.0.1 with cluster routes and a users list.
 */
class EventBusClusterTest {
    private static final List<Process> servers = new ArrayList<>();
    private static final List<Integer> clientPorts = new ArrayList<>();
    private static Path dir;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createTempDirectory("nats-cluster");
        var routePorts = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) {
            clientPorts.add(freePort());
        }
        String routes = String.join(", ", routePorts.stream().map(p -> "\"nats-route://route:route-pw@127.0.0.1:" + p + "\"").toList());
        for (int i = 0; i < 3; i++) {
            Path conf = dir.resolve("n" + i + ".conf");
            Files.writeString(conf, """
                    server_name: n%d
                    listen: 127.0.0.1:%d
                    jetstream { store_dir: "%s" }
                    authorization { users = [ { user: "order", password: "order-pw" }, { user: "notify", password: "notify-pw" } ] }
                    cluster {
                      name: test-cluster
                      listen: 127.0.0.1:%d
                      authorization { user: route, password: route-pw }
                      routes: [ %s ]
                    }
                    """.formatted(i, clientPorts.get(i), dir.resolve("data" + i), routePorts.get(i), routes));
            servers.add(new ProcessBuilder("nats-server", "-c", conf.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("n" + i + ".log").toFile()).start());
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process server : servers) {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void aServiceLogsInWithItsUserAndTheStreamHasThreeReplicas() throws Exception {
        Config config = config(Map.of("nats.user", "order", "nats.password", "order-pw", "storefront.events.replicas", "3"));
        // the cluster elects its JetStream meta leader a few seconds after the routes connect
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            try (EventBus bus = EventBus.connect(config)) {
                assertThat(bus.connection().jetStreamManagement().getStreamInfo(bus.stream()).getConfiguration().getReplicas())
                        .isEqualTo(3);
            }
        });
        try (EventBus bus = EventBus.connect(config)) {
            PublishAck ack = bus.jetStream().publish(bus.subjectFor("storefront.order.confirmed"), "{}".getBytes());
            assertThat(ack.getStream()).isEqualTo(bus.stream());
            var cluster = bus.connection().jetStreamManagement().getStreamInfo(bus.stream()).getClusterInfo();
            assertThat(cluster.getReplicas()).hasSize(2); // the leader plus two followers
        }
        assertThat(EventBus.unreachableReason(config)).isNull();
    }

    @Test
    void aWrongPasswordIsRefused() {
        Config wrong = config(Map.of("nats.user", "order", "nats.password", "notify-pw", "nats.connect-wait-seconds", "1"));
        assertThat(EventBus.unreachableReason(wrong)).isNotNull();
        assertThatThrownBy(() -> EventBus.connect(wrong)).isInstanceOf(IllegalStateException.class);
        assertThat(EventBus.unreachableReason(config(Map.of()))).as("no user at all").isNotNull();
    }

    private static Config config(Map<String, String> values) {
        var all = new java.util.HashMap<>(values);
        all.put("nats.url", "nats://127.0.0.1:" + clientPorts.getFirst());
        all.put("storefront.events.stream", "CLUSTERTEST");
        all.put("storefront.events.subject-prefix", "clustertest");
        return Config.just(ConfigSources.create(all));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
