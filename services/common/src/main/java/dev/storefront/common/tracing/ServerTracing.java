package dev.storefront.common.tracing;

import java.util.function.Function;

import dev.storefront.common.web.ApiException;
import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.RoutingRequest;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;

/**
 * The server span of every request: a child of the caller's {@code traceparent}, or the root of a new
 * trace at the edge (the gateway, or the first service a request reaches). Named
 * {@code <method> <route template>}; add it before the request-id filter, which then takes the trace id.
 */
public final class ServerTracing {
    private ServerTracing() {
    }

    /** A routing filter; {@code serviceOfPath} names the service a path belongs to (several share a server in one process). */
    public static Filter filter(Function<String, String> serviceOfPath) {
        return (chain, req, res) -> {
            if (!Tracing.enabled()) {
                chain.proceed();
                return;
            }
            String method = req.prologue().method().text();
            String path = req.path().path();
            Context parent = Tracing.extract(key -> req.headers().first(HeaderNames.create(key)).orElse(null));
            try (Tracing.Traced span = Tracing.start(serviceOfPath.apply(path), method, SpanKind.SERVER, parent)) {
                span.attribute("http.request.method", method).attribute("url.path", path);
                int status = 0;
                try {
                    chain.proceed();
                } catch (RuntimeException | Error e) {
                    status = e instanceof ApiException api ? api.status() : 500;
                    if (status >= 500) {
                        span.fail(e);
                    }
                    throw e;
                } finally {
                    span.rename(method + " " + template(req));
                    if (status == 0) {
                        status = res.status().code();
                    }
                    span.attribute("http.response.status_code", status);
                    if (status >= 500) {
                        span.fail("HTTP " + status);
                    }
                }
            }
        };
    }

    /**
     * The route's template, rebuilt from the path and the parameters the matched route took out of it
     * ({@code /api/orders/7f3c…} with id=7f3c… is {@code /api/orders/{id}}): Helidon 4.1 does not expose
     * the matched pattern itself.
     */
    static String template(RoutingRequest req) {
        // a nested service sees its path relative to where it is registered: name the span by the whole path
        String path = req.path().absolute().path();
        Parameters params = req.path().pathParameters();
        if (params.isEmpty()) {
            return path;
        }
        String[] segments = path.split("/", -1);
        for (String name : params.names()) {
            String value = params.first(name).orElse(null);
            for (int i = 0; i < segments.length; i++) {
                if (!segments[i].isEmpty() && segments[i].equals(value)) {
                    segments[i] = "{" + name + "}";
                }
            }
        }
        return String.join("/", segments);
    }
}
