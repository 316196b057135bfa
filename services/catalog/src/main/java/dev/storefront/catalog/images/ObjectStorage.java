package dev.storefront.catalog.images;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The image variants in S3-compatible object storage, through the AWS SDK for Java v2 (its JDK-based
 * HTTP client; S3Proxy locally and in tests, any S3 in a cluster). Keys are content-addressed, so an
 * object never changes once written.
 */
public final class ObjectStorage implements AutoCloseable {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public ObjectStorage(ImageSettings settings) {
        this.bucket = settings.bucket();
        AwsCredentialsProvider credentials = settings.accessKey().isBlank() ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        S3Configuration s3Config = S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                .chunkedEncodingEnabled(false).build();
        var builder = S3Client.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                // checksums only where S3 requires them: S3Proxy and other S3-compatible stores refuse the SDK's
                // default trailing CRC headers with 501
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(30)));
        var presign = S3Presigner.builder().region(Region.of(settings.region())).credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        settings.endpoint().ifPresent(e -> {
            builder.endpointOverride(e);
            presign.endpointOverride(e);
        });
        this.s3 = builder.build();
        this.presigner = presign.build();
        if (settings.createBucket()) {
            createBucketIfMissing();
        }
    }

    private void createBucketIfMissing() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType)
                .cacheControl(ImageService.IMMUTABLE), RequestBody.fromBytes(bytes));
    }

    /** The object's bytes and headers, or empty when there is no such key. */
    public Optional<ResponseInputStream<GetObjectResponse>> get(String key) {
        try {
            return Optional.of(s3.getObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** Deletes the keys (missing ones are no error in S3). One call per key: S3Proxy refuses the SDK's multi-delete. */
    public void delete(Collection<String> keys) {
        for (String key : keys) {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
        }
    }

    /** A time-limited GET URL for one key. */
    public String presignedUrl(String key, Duration validFor) {
        return presigner.presignGetObject(b -> b.signatureDuration(validFor).getObjectRequest(g -> g.bucket(bucket).key(key)))
                .url().toString();
    }

    /** How many objects the bucket holds under a prefix (tests: nothing left behind); folder markers are not objects. */
    public long count(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().endsWith("/")).count();
    }

    @Override
    public void close() {
        presigner.close();
        s3.close();
    }
}
