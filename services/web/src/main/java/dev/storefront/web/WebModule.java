package dev.storefront.web;

import java.util.Objects;
import java.util.Set;

import dev.storefront.common.ServiceRegistry;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.staticcontent.StaticContentService;

/**
 * Serves the web UI (the Vite build packaged on the classpath under {@code web/}) at {@code /}.
 * <ul>
 *     <li>existing files are served as they are; {@code /} serves {@code index.html};</li>
 *     <li>any other GET/HEAD path that is not a file (no dot in its last segment) and not under a reserved prefix
 *     ({@code /api}, {@code /internal}, {@code /observe}, {@code /metrics}, {@code /health}, {@code /openapi}) answers
 *     {@code index.html}, so that client-side routes such as {@code /products/123} survive a reload;</li>
 *     <li>reserved paths are never swallowed: the routing goes on to the next handler (the services, or a 404);</li>
 *     <li>security headers (CSP, nosniff, frame DENY, referrer policy) and cache headers (hashed {@code /assets/*}
 *     immutable for a year, everything else {@code no-cache}) on every UI response.</li>
 * </ul>
 * The launcher mounts it next to the services with {@code WebModule.register(routingBuilder)}; the order relative to the
 * {@code /api} services does not matter.
 */
public final class WebModule {

    /** Classpath folder holding index.html and assets/. */
    public static final String CLASSPATH_ROOT = "web";
    /** First path segments that belong to the services, never to the UI. */
    public static final Set<String> RESERVED_PREFIXES = ServiceRegistry.RESERVED_PREFIXES.stream()
            .map(prefix -> prefix.substring(1)).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * Content-Security-Policy suited to the SPA: scripts, styles, fonts and API calls from the same origin only;
     * product images may come from any http(s) host (admins enter image URLs); no framing, no plugins.
     */
    public static final String DEFAULT_CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: https: http:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    static final String CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
    static final String CACHE_NO_CACHE = "no-cache";

    private final String classpathRoot;
    private final String csp;

    private WebModule(String classpathRoot, String csp) {
        this.classpathRoot = Objects.requireNonNull(classpathRoot);
        this.csp = Objects.requireNonNull(csp);
    }

    /** The UI from classpath {@code web} with {@link #DEFAULT_CSP}. */
    public static WebModule create() {
        return new WebModule(CLASSPATH_ROOT, DEFAULT_CSP);
    }

    /** The UI with another Content-Security-Policy (e.g. to allow an image CDN only). */
    public static WebModule create(String contentSecurityPolicy) {
        return new WebModule(CLASSPATH_ROOT, contentSecurityPolicy);
    }

    /** Mounts the UI at {@code /} on the given routing: the one call the launcher and {@link Main} make. */
    public static HttpRouting.Builder register(HttpRouting.Builder routing) {
        return create().routing(routing);
    }

    /** Adds the header filter and the static content (with SPA fallback) to the routing. */
    public HttpRouting.Builder routing(HttpRouting.Builder routing) {
        StaticContentService content = StaticContentService.builder(classpathRoot)
                .welcomeFileName("index.html")
                .pathMapper(WebModule::spaPath)
                .build();
        return routing
                .any(this::headers)
                .get("/images/{file}", PlaceholderImages::serve)
                .register("/", content);
    }

    /**
     * Maps a request path (without its leading slash) to the resource to serve: client-side routes to
     * {@code index.html}, everything else to itself.
     */
    static String spaPath(String path) {
        if (path.isEmpty() || isReserved(path)) {
            return path;
        }
        String last = path.endsWith("/") ? "" : path.substring(path.lastIndexOf('/') + 1);
        if (last.contains(".")) {
            return path; // a file: served if it exists, 404 otherwise
        }
        return "index.html";
    }

    static boolean isReserved(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        String first = slash < 0 ? p : p.substring(0, slash);
        return RESERVED_PREFIXES.contains(first);
    }

    private void headers(ServerRequest req, ServerResponse res) {
        String path = req.path().rawPathNoParams();
        Method method = req.prologue().method();
        if (!isReserved(path) && (method == Method.GET || method == Method.HEAD)) {
            res.header(HeaderValues.create(CSP, csp));
            res.header(HeaderValues.create(NOSNIFF, "nosniff"));
            res.header(HeaderValues.create(FRAME_OPTIONS, "DENY"));
            res.header(HeaderValues.create(REFERRER_POLICY, "strict-origin-when-cross-origin"));
            res.header(HeaderValues.create(HeaderNames.CACHE_CONTROL,
                    path.startsWith("/assets/") ? CACHE_IMMUTABLE : CACHE_NO_CACHE));
        }
        res.next();
    }
}
