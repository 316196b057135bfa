package dev.storefront.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.storefront.common.storage.EmbeddedS3;

/**
 * The object storage of a local platform: unless a bucket is configured ({@code storefront.catalog.images.s3.bucket}),
 * an S3Proxy on a free port keeps catalog's images as files under {@code storefront.object-storage.dir}
 * (default {@code $TMPDIR/storefront-s3/<database prefix>}, so it lives as long as the databases it goes with).
 */
final class LocalObjectStorage implements AutoCloseable {
    static final String BUCKET = "storefront-images";

    private final EmbeddedS3 server;
    private final Settings settings;

    private LocalObjectStorage(EmbeddedS3 server, Settings settings) {
        this.server = server;
        this.settings = settings;
    }

    static LocalObjectStorage startIfNeeded(Settings settings) {
        if (settings.extra().containsKey("storefront.catalog.images.s3.bucket")) {
            return new LocalObjectStorage(null, settings);
        }
        Path dir = Path.of(settings.extra().getOrDefault("storefront.object-storage.dir",
                Path.of(System.getProperty("java.io.tmpdir"), "storefront-s3", settings.dbPrefix().replaceAll("_+$", "")).toString()));
        EmbeddedS3 server;
        try {
            server = EmbeddedS3.start(dir, 0);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded object storage in " + dir + ": " + e.getMessage(), e);
        }
        Map<String, String> extra = new HashMap<>(settings.extra());
        extra.put("storefront.catalog.images.s3.endpoint", server.endpoint());
        extra.put("storefront.catalog.images.s3.bucket", BUCKET);
        extra.put("storefront.catalog.images.s3.access-key", EmbeddedS3.ACCESS_KEY);
        extra.put("storefront.catalog.images.s3.secret-key", EmbeddedS3.SECRET_KEY);
        extra.put("storefront.catalog.images.s3.create-bucket", "true");
        return new LocalObjectStorage(server, new Settings(settings.port(), settings.dbHost(), settings.dbUser(),
                settings.dbPassword(), settings.dbPrefix(), settings.natsUrl(), settings.demoData(), Map.copyOf(extra)));
    }

    /** The settings with the embedded store's endpoint and credentials for catalog. */
    Settings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (server != null) {
            try {
                server.close();
            } catch (Exception e) {
                System.getLogger(LocalObjectStorage.class.getName()).log(System.Logger.Level.WARNING,
                        "Stopping the embedded object storage failed: " + e.getMessage());
            }
        }
    }
}
