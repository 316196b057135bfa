package dev.storefront.bench;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The ceiling for HTTP: a Helidon SE server whose one route answers a constant JSON envelope.
 * Started in its own JVM, with the launcher's flags, so it is compared like for like.
 * {@code java -cp storefront-bench.jar dev.storefront.bench.TrivialServer PORT}
 */
public final class TrivialServer {
    private static final byte[] BODY = "{\"success\":true,\"data\":{\"pong\":true}}".getBytes(StandardCharsets.UTF_8);

    private TrivialServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .routing(r -> r.get("/ping", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send(BODY);
                }))
                .build()
                .start();
        System.out.println("trivial server ready on " + server.port());
    }
}
