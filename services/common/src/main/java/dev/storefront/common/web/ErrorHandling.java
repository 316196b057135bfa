package dev.storefront.common.web;

import java.lang.System.Logger.Level;

import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** The one error mapper: every failure leaves as an envelope, never a stack trace or SQL. */
public final class ErrorHandling {
    private static final System.Logger LOG = System.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    /** Adds the request-id filter and the error handlers to a routing. */
    public static void install(HttpRouting.Builder routing) {
        routing.addFilter(RequestContext::filter)
                .error(ApiException.class, ErrorHandling::handleApi)
                .error(HttpException.class, ErrorHandling::handleHttp)
                .error(RequestException.class, (req, res, e) -> handleApi(req, res,
                        new ApiException(ErrorCode.forStatus(e.status().code()), "Bad request")))
                .error(Throwable.class, ErrorHandling::handleUnexpected);
    }

    /** The answer for a path nothing else matched: a 404 envelope. */
    public static void notFound(ServerRequest req, ServerResponse res) {
        handleApi(req, res, new ApiException(ErrorCode.NOT_FOUND, "No route for " + req.prologue().method().text()
                + " " + req.path().path()));
    }

    private static void handleApi(ServerRequest req, ServerResponse res, ApiException e) {
        if (res.isSent()) {
            return;
        }
        if (e.status() >= 500) {
            LOG.log(Level.WARNING, req.prologue().method().text() + " " + req.path().path() + " -> " + e.status() + " " + e.getMessage());
        }
        // a handler that threw had its response reset: put back what the filters had set
        SecurityHeaders.apply(res);
        if (RequestContext.requestId() != null) {
            res.header(RequestContext.REQUEST_ID, RequestContext.requestId());
        }
        Cors.reapply(res);
        Responses.error(res, e);
    }

    private static void handleHttp(ServerRequest req, ServerResponse res, HttpException e) {
        int status = e.status().code();
        if (status < 400) {
            // not an error: static content answers a conditional GET with 304 this way
            res.status(e.status()).send();
            return;
        }
        String message = status == 404 ? "Not found" : status == 413 ? "The body is too large" : status >= 500 ? "Internal error" : "Bad request";
        handleApi(req, res, new ApiException(ErrorCode.forStatus(status), message));
    }

    private static void handleUnexpected(ServerRequest req, ServerResponse res, Throwable e) {
        ApiException unwrapped = unwrap(e);
        if (unwrapped != null) {
            handleApi(req, res, unwrapped);
            return;
        }
        if (isDatabaseUnavailable(e)) {
            LOG.log(Level.WARNING, req.prologue().method().text() + " " + req.path().path() + ": database unavailable: " + e.getMessage());
            handleApi(req, res, ApiException.unavailable("The database is busy or unavailable, retry shortly"));
            return;
        }
        LOG.log(Level.ERROR, "Unhandled error on " + req.prologue().method().text() + " " + req.path().path(), e);
        handleApi(req, res, new ApiException(ErrorCode.INTERNAL, "Internal error"));
    }

    /** Pool exhausted, connection refused or lost: the caller may retry, so 503 rather than 500. */
    private static boolean isDatabaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            // connection lost or refused (08, 57P), or the request's thread interrupted while it waited for a
            // pooled connection (server stopping)
            if (t instanceof java.sql.SQLException sql && (sql.getCause() instanceof InterruptedException
                    || sql.getSQLState() != null && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P")))) {
                return true;
            }
        }
        return false;
    }

    private static ApiException unwrap(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }
}
