package dev.storefront.catalog.images;

import java.net.URI;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * Catalog's image settings ({@code storefront.catalog.images.*}): the object store and the limits an
 * upload must keep. Without a bucket there is no store and uploads answer 503.
 *
 * @param endpoint      S3 endpoint (empty: AWS's own for the region)
 * @param region        signing region
 * @param bucket        bucket the variants go to (empty: image upload off)
 * @param pathStyle     path-style addressing (S3Proxy, MinIO) instead of virtual hosts
 * @param accessKey     static credentials (empty: the SDK's default chain: env, profile, IRSA)
 * @param secretKey     the secret beside it
 * @param createBucket  create the bucket at start when missing (local runs)
 * @param publicBaseUrl a CDN or public bucket URL: image routes redirect there (empty: the platform streams)
 * @param presignSeconds when above 0, image routes redirect to presigned GETs valid this long
 * @param maxBytes      largest upload
 * @param maxSide       widest or tallest image accepted, from the header, before decoding
 * @param maxPixels     most pixels accepted, from the header, before decoding
 * @param maxImages     images per product
 * @param cleanupEvery  how often the image-cleanup job retries object deletions left over (0: never)
 */
public record ImageSettings(Optional<URI> endpoint, String region, String bucket, boolean pathStyle,
                            String accessKey, String secretKey, boolean createBucket, String publicBaseUrl,
                            int presignSeconds, int maxBytes, int maxSide, long maxPixels, int maxImages,
                            java.time.Duration cleanupEvery) {
    public static final String PREFIX = "storefront.catalog.images.";

    public static ImageSettings from(Config config) {
        Config c = config.get("storefront.catalog.images");
        return new ImageSettings(
                c.get("s3.endpoint").asString().asOptional().filter(s -> !s.isBlank()).map(URI::create),
                c.get("s3.region").asString().orElse("us-east-1"),
                c.get("s3.bucket").asString().orElse(""),
                c.get("s3.path-style").asBoolean().orElse(true),
                c.get("s3.access-key").asString().orElse(""),
                c.get("s3.secret-key").asString().orElse(""),
                c.get("s3.create-bucket").asBoolean().orElse(false),
                c.get("public-base-url").asString().map(s -> s.replaceAll("/+$", "")).orElse(""),
                c.get("presign-seconds").asInt().orElse(0),
                c.get("max-bytes").asInt().orElse(10 * 1024 * 1024),
                c.get("max-side").asInt().orElse(12_000),
                c.get("max-pixels").asLong().orElse(40_000_000L),
                c.get("max-per-product").asInt().orElse(12),
                java.time.Duration.ofSeconds(Math.max(0, c.get("cleanup-seconds").asInt().orElse(60))));
    }

    public boolean storageConfigured() {
        return !bucket.isBlank();
    }
}
