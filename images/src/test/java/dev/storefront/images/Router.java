package dev.storefront.images;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * The way in: serves the rules of the Storefront's HTTPRoute (Gateway API) or Ingress as the mock API server holds
 * them at each request (PathPrefix/Prefix, longest match first), forwarding each request to one ready endpoint of the
 * backend Service, round robin, as gateway and ingress controllers do, with X-Forwarded-For.
 */
final class Router implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te", "trailer",
            "upgrade", "host", "content-length", "expect", "proxy-connection");

    private final Box box;
    private final String namespace;
    private final String name;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    record Route(String prefix, String service, int port) {
    }

    Router(Box box, String namespace, String name) throws IOException {
        this.box = box;
        this.namespace = namespace;
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The rules as the API server has them now: the HTTPRoute's when there is one, else the Ingress's. */
    @SuppressWarnings("unchecked")
    List<Route> routes() {
        var routes = new ArrayList<Route>();
        GenericKubernetesResource route = box.client.genericKubernetesResources("gateway.networking.k8s.io/v1", "HTTPRoute")
                .inNamespace(namespace).withName(name).get();
        if (route != null) {
            var spec = (Map<String, Object>) route.getAdditionalProperties().get("spec");
            for (var rule : (List<Map<String, Object>>) spec.get("rules")) {
                var backend = ((List<Map<String, Object>>) rule.get("backendRefs")).getFirst();
                for (var match : (List<Map<String, Object>>) rule.get("matches")) {
                    var path = (Map<String, Object>) match.get("path");
                    routes.add(new Route((String) path.get("value"), (String) backend.get("name"),
                            ((Number) backend.get("port")).intValue()));
                }
            }
        } else {
            Ingress ingress = box.client.network().v1().ingresses().inNamespace(namespace).withName(name).get();
            if (ingress != null) {
                for (var rule : ingress.getSpec().getRules()) {
                    for (var path : rule.getHttp().getPaths()) {
                        var service = path.getBackend().getService();
                        routes.add(new Route(path.getPath(), service.getName(), service.getPort().getNumber()));
                    }
                }
            }
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.prefix().length()).reversed());
        return routes;
    }

    static boolean matches(String prefix, String path) {
        if (prefix.equals("/")) {
            return true;
        }
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return path.equals(p) || path.startsWith(p + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            Route route = routes().stream().filter(r -> matches(r.prefix(), path)).findFirst().orElse(null);
            if (route == null) {
                send(exchange, 404, "no route for " + path);
                return;
            }
            var endpoint = box.endpoint(namespace, route.service(), route.port());
            if (endpoint == null) {
                send(exchange, 503, "no ready endpoint of " + route.service());
                return;
            }
            String query = exchange.getRequestURI().getRawQuery();
            var request = HttpRequest.newBuilder(URI.create("http://" + endpoint.getHostString() + ":" + endpoint.getPort() + path
                    + (query == null ? "" : "?" + query))).timeout(Duration.ofSeconds(30));
            exchange.getRequestHeaders().forEach((header, values) -> {
                if (!HOP_BY_HOP.contains(header.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> request.header(header, v));
                }
            });
            request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
            request.header("X-Forwarded-Proto", "http");
            byte[] body = exchange.getRequestBody().readAllBytes();
            request.method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                send(exchange, 503, "upstream " + route.service() + ": " + e.getMessage());
                return;
            }
            response.headers().map().forEach((header, values) -> {
                if (!HOP_BY_HOP.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                    exchange.getResponseHeaders().put(header, values);
                }
            });
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
