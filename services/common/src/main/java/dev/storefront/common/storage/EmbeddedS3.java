package dev.storefront.common.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3 API server on the local file system (S3Proxy over jclouds' filesystem blob store), for the
 * one-process launcher and for tests, so the real S3 protocol is spoken without anything installed.
 * It needs {@code org.gaul:s3proxy} on the class path, which only the launcher and tests declare.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "storefront";
    public static final String SECRET_KEY = "storefront-local-secret";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private EmbeddedS3(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    /** Starts on 127.0.0.1 ({@code port} 0: any free port), keeping buckets as folders under {@code directory}. */
    public static EmbeddedS3 start(Path directory, int port) throws Exception {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toAbsolutePath().toString());
        BlobStoreContext context = ContextBuilder.newBuilder("filesystem").overrides(properties)
                .credentials(ACCESS_KEY, SECRET_KEY).build(BlobStoreContext.class);
        S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                proxy.stop();
                context.close();
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(20);
        }
        return new EmbeddedS3(proxy, context);
    }

    public int port() {
        return proxy.getPort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
