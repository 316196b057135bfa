package dev.storefront.common.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/** Writes the response envelope: {@code {"success":true,"data":…}} or the error form. */
public final class Responses {
    public static final String JSON = "application/json";

    private Responses() {
    }

    public static void ok(ServerResponse res, Object data) {
        send(res, 200, success(data));
    }

    public static void created(ServerResponse res, Object data) {
        send(res, 201, success(data));
    }

    public static void status(ServerResponse res, int status, Object data) {
        send(res, status, success(data));
    }

    public static void noContent(ServerResponse res) {
        res.status(Status.NO_CONTENT_204).send();
    }

    public static void page(ServerResponse res, List<?> items, Page page, long total) {
        Map<String, Object> body = success(items);
        body.put("pagination", Map.of("page", page.page(), "limit", page.limit(), "total", total));
        send(res, 200, body);
    }

    public static Map<String, Object> success(Object data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("data", data);
        return body;
    }

    public static Map<String, Object> errorBody(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code().name());
        error.put("message", e.getMessage());
        error.put("details", e.details());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", false);
        body.put("error", error);
        if (e.data() != null) {
            body.put("data", e.data());
        }
        body.put("requestId", RequestContext.requestId());
        return body;
    }

    public static void error(ServerResponse res, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        } else if (e.status() == 503) { // every 503 says when to come back
            res.header(HeaderNames.RETRY_AFTER, "1");
        }
        send(res, e.status(), errorBody(e));
    }

    public static void send(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(Json.writeBytes(body));
    }
}
