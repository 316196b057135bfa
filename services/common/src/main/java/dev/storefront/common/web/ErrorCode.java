package dev.storefront.common.web;

/** The error codes of the envelope and the HTTP status each one answers with. */
public enum ErrorCode {
    VALIDATION_FAILED(400),
    BAD_REQUEST(400),
    UNAUTHENTICATED(401),
    PAYMENT_FAILED(402),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    OUT_OF_STOCK(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    UNPROCESSABLE(422),
    RATE_LIMITED(429),
    INTERNAL(500),
    DEPENDENCY_UNAVAILABLE(503);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ErrorCode forStatus(int status) {
        for (ErrorCode code : values()) {
            if (code.status == status) {
                return code;
            }
        }
        return status >= 500 ? INTERNAL : BAD_REQUEST;
    }
}
