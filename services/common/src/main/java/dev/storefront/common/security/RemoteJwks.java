package dev.storefront.common.security;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

import dev.storefront.common.web.ApiException;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.json.Json;

/**
 * auth's JWKS fetched over HTTP: kept for {@code ttl}, fetched again when a token names an unknown
 * {@code kid} (a key rotation) but at most once per {@code minRefresh}, and one retry on a transport
 * failure. Helidon's security-jwt has the JWK types ({@link JwkKeys#create}) but no fetching, caching
 * source (the OIDC provider's is tied to its own config): this class is that source, hand-written.
 */
public final class RemoteJwks implements VerificationKeys {
    private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());

    private final URI url;
    private final Duration ttl;
    private final Duration minRefresh;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ReentrantLock fetching = new ReentrantLock();
    private volatile JwkKeys keys;
    private volatile long fetchedAtNanos;

    public RemoteJwks(URI url, Duration ttl, Duration minRefresh) {
        this.url = url;
        this.ttl = ttl;
        this.minRefresh = minRefresh;
    }

    @Override
    public JwkKeys current() {
        JwkKeys k = keys;
        if (k != null && System.nanoTime() - fetchedAtNanos < ttl.toNanos()) {
            return k;
        }
        return fetch(Duration.ZERO);
    }

    /**
     * A kid seen within {@code minRefresh} of the last fetch waits out the rest of that interval instead
     * of being refused: a rotation right after a fetch costs one request up to a second, never a 401.
     */
    @Override
    public JwkKeys refreshed(String unknownKid) {
        long wait = minRefresh.toNanos() - (System.nanoTime() - fetchedAtNanos);
        if (keys != null && wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current();
            }
        }
        JwkKeys k = keys;
        if (k != null && k.forKeyId(unknownKid).isPresent()) {
            return k; // another request fetched it meanwhile
        }
        return fetch(minRefresh);
    }

    /** Fetches unless another thread fetched within {@code notWithin}; a stale set is kept when auth is down. */
    private JwkKeys fetch(Duration notWithin) {
        fetching.lock();
        try {
            JwkKeys k = keys;
            if (k != null && System.nanoTime() - fetchedAtNanos < notWithin.toNanos()) {
                return k;
            }
            if (k != null && notWithin.isZero() && System.nanoTime() - fetchedAtNanos < ttl.toNanos()) {
                return k; // another thread fetched while this one waited
            }
            try {
                JwkKeys fresh = download();
                keys = fresh;
                fetchedAtNanos = System.nanoTime();
                return fresh;
            } catch (IOException | RuntimeException e) {
                if (k != null) {
                    LOG.log(System.Logger.Level.WARNING, "Cannot refresh auth's JWKS from " + url + ", keeping the keys fetched before: " + e);
                    fetchedAtNanos = System.nanoTime() - ttl.toNanos() + minRefresh.toNanos(); // try again soon
                    return k;
                }
                throw ApiException.unavailable("Cannot verify tokens right now");
            }
        } finally {
            fetching.unlock();
        }
    }

    private JwkKeys download() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3)).GET().build();
        IOException last = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IOException("JWKS answered " + response.statusCode());
                }
                return JwkKeys.create(Json.createReader(new StringReader(response.body())).readObject());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw last;
    }
}
