package dev.storefront.common.web;

import java.util.List;

/**
 * A failure that becomes an error envelope. Thrown by routes and domain code; the one error
 * handler in {@link ErrorHandling} turns it into the right status and body.
 */
public class ApiException extends RuntimeException {
    private final ErrorCode code;
    private final List<FieldError> details;
    private final transient Object data;
    private final Long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of(), null, null);
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details, Object data, Long retryAfterSeconds) {
        super(message, null, false, false);
        this.code = code;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.data = data;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return code.status();
    }

    public List<FieldError> details() {
        return details;
    }

    /** Extra machine-readable data some errors carry (e.g. the lines that are short). */
    public Object data() {
        return data;
    }

    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException validation(List<FieldError> details) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "Request validation failed", details, null, null);
    }

    public static ApiException invalidField(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, field + ": " + message, List.of(new FieldError(field, message)), null, null);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiException unauthenticated(String message) {
        return new ApiException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ErrorCode.FORBIDDEN, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.NOT_FOUND, what + " not found");
    }

    public static ApiException conflict(String message) {
        return new ApiException(ErrorCode.CONFLICT, message);
    }

    public static ApiException unprocessable(String message) {
        return new ApiException(ErrorCode.UNPROCESSABLE, message);
    }

    public static ApiException rateLimited(long retryAfterSeconds) {
        return new ApiException(ErrorCode.RATE_LIMITED, "Too many requests, retry in " + retryAfterSeconds + "s",
                List.of(), null, retryAfterSeconds);
    }

    /** 503 with {@code Retry-After: 1}: the caller may retry (a neighbour restarting, a busy pool). */
    public static ApiException unavailable(String message) {
        return new ApiException(ErrorCode.DEPENDENCY_UNAVAILABLE, message, List.of(), null, 1L);
    }
}
