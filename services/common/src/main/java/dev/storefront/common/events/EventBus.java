package dev.storefront.common.events;

import java.io.IOException;
import java.time.Duration;

import io.helidon.config.Config;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/**
 * The NATS connection and the one JetStream stream all events go to. Config
 * {@code nats.url}, {@code storefront.events.stream} (STOREFRONT) and
 * {@code storefront.events.subject-prefix} ("storefront"; tests use their own so that runs sharing
 * one NATS server never see each other's events). An event of type {@code storefront.order.confirmed}
 * goes to subject {@code <prefix>.order.confirmed}. With {@code nats.user} and {@code nats.password} it logs in
 * as that user; {@code storefront.events.replicas} (1) is the stream's replica count on a JetStream cluster.
 */
public final class EventBus implements AutoCloseable {
    private final Connection connection;
    private final JetStream jetStream;
    private final String stream;
    private final String prefix;
    private final int replicas;

    private EventBus(Connection connection, String stream, String prefix, int replicas) throws IOException {
        this.connection = connection;
        this.replicas = replicas;
        this.jetStream = connection.jetStream();
        this.stream = stream;
        this.prefix = prefix;
    }

    /** Null when a NATS server answers now, logging in as the service does, else why not (start-up waits on it). */
    public static String unreachableReason(Config config) {
        return unreachableReason(config.get("nats.url").asString().orElse("nats://127.0.0.1:4222"),
                config.get("nats.user").asString().orElse(null), config.get("nats.password").asString().orElse(null));
    }

    private static String unreachableReason(String url, String user, String password) {
        Options.Builder builder = Options.builder().server(url).connectionTimeout(Duration.ofSeconds(3)).noReconnect()
                .connectionName("storefront-probe");
        if (user != null) {
            builder.userInfo(user, password == null ? "" : password);
        }
        Options options = builder.build();
        try (Connection probe = Nats.connect(options)) {
            return null;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    public static EventBus connect(Config config) {
        String url = config.get("nats.url").asString().orElse("nats://127.0.0.1:4222");
        String stream = config.get("storefront.events.stream").asString().orElse("STOREFRONT");
        String prefix = config.get("storefront.events.subject-prefix").asString().orElse("storefront");
        int replicas = config.get("storefront.events.replicas").asInt().orElse(1);
        String user = config.get("nats.user").asString().orElse(null);
        try {
            Options.Builder builder = Options.builder()
                    .server(url)
                    .connectionTimeout(Duration.ofSeconds(3))
                    .maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(500))
                    .connectionName("storefront");
            if (user != null) {
                builder.userInfo(user, config.get("nats.password").asString().orElse(""));
            }
            Options options = builder.build();
            Connection connection = connectWithin(options,
                    Duration.ofSeconds(config.get("nats.connect-wait-seconds").asLong().orElse(30L)));
            EventBus bus = new EventBus(connection, stream, prefix, replicas);
            bus.ensureStream();
            return bus;
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("Cannot reach NATS JetStream at " + url + " (" + e.getMessage()
                    + "). Start it: nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A service restarted while NATS is briefly away (restarting, or slow on a busy node) waits for it
     * a little instead of exiting at once; after {@code wait} the last failure is thrown.
     */
    private static Connection connectWithin(Options options, Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Several JVMs starting at once (split mode, a rolling restart) can find NATS slow to answer: retry briefly. */
    private static Connection connectWithRetry(Options options, int attempts) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return Nats.connect(options);
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                Thread.sleep(250L * attempt);
            }
        }
    }

    /** Creates the stream, or gives an existing one the configured replica count. Safe to call from every service. */
    public void ensureStream() throws IOException, JetStreamApiException {
        JetStreamManagement jsm = connection.jetStreamManagement();
        StreamConfiguration config = StreamConfiguration.builder()
                .name(stream)
                .subjects(prefix + ".>")
                .storageType(StorageType.File)
                .duplicateWindow(Duration.ofMinutes(2))
                .maxAge(Duration.ofDays(7))
                .replicas(replicas)
                .build();
        StreamConfiguration existing;
        try {
            existing = jsm.getStreamInfo(stream).getConfiguration();
        } catch (JetStreamApiException notFound) {
            try {
                jsm.addStream(config);
            } catch (JetStreamApiException raced) {
                jsm.getStreamInfo(stream); // another service created it first
            }
            return;
        }
        if (existing.getReplicas() != replicas) {
            // messaging scaled to a cluster (or back): JetStream moves the stream to the new replica count
            jsm.updateStream(StreamConfiguration.builder(existing).replicas(replicas).build());
        }
    }

    public String subjectFor(String type) {
        return type.startsWith("storefront.") ? prefix + type.substring("storefront".length()) : prefix + "." + type;
    }

    public Connection connection() {
        return connection;
    }

    public JetStream jetStream() {
        return jetStream;
    }

    public String stream() {
        return stream;
    }

    public boolean connected() {
        return connection.getStatus() == Connection.Status.CONNECTED;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
