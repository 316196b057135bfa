package dev.storefront.common.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Answers for requests the server refuses before any route sees them (a header block or URI too
 * long, a broken request line): the same JSON error envelope and security headers as every other
 * answer, with a fixed message (never the server's own text, which may quote the request).
 */
public final class TransportErrors {
    private TransportErrors() {
    }

    public static DirectHandlers handlers() {
        DirectHandler handler = TransportErrors::answer;
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static DirectHandler.TransportResponse answer(DirectHandler.TransportRequest request, DirectHandler.EventType type,
                                                          Status status, ServerResponseHeaders headers, String message) {
        int code = status.code();
        ErrorCode errorCode = ErrorCode.forStatus(code);
        String text = switch (code) {
            case 413 -> "The body is too large";
            case 414 -> "The request URI is too long";
            case 431 -> "The request headers are too large";
            default -> code >= 500 ? "Internal error" : "Bad request";
        };
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", errorCode.name());
        error.put("message", text);
        error.put("details", List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        body.put("requestId", RequestContext.newId());
        headers.set(HeaderNames.CONTENT_TYPE, Responses.JSON);
        SecurityHeaders.apply(headers);
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Json.writeBytes(body))
                .keepAlive(false)
                .build();
    }
}
