package dev.storefront.common.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.webserver.http.ServerResponse;

/**
 * The headers every answer carries: no content sniffing, no framing, no referrer. Set by the
 * server's filter and again on error answers (Helidon resets the headers of a response whose
 * handler threw) and on answers the transport makes itself.
 */
public final class SecurityHeaders {
    static final HeaderName NO_SNIFF = HeaderNames.create("X-Content-Type-Options");
    static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    private SecurityHeaders() {
    }

    public static void apply(ServerResponse res) {
        apply(res.headers());
    }

    public static void apply(ServerResponseHeaders headers) {
        headers.set(NO_SNIFF, "nosniff");
        headers.set(FRAME_OPTIONS, "DENY");
        headers.set(REFERRER_POLICY, "no-referrer");
    }
}
