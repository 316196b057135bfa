package dev.storefront.common.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.webserver.http.ServerRequest;

/**
 * Reads a JSON request body into a record, strictly: the content type must be JSON, the body
 * must fit the limit, be well formed, not too deep, and name only known fields of the right type.
 * Each problem is a clear 4xx naming the field; nothing reaches the domain half-parsed.
 */
public final class Bodies {
    /** Largest JSON body a route accepts. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private Bodies() {
    }

    public static <T> T read(ServerRequest req, Class<T> type) {
        byte[] bytes = readBytes(req, MAX_BODY_BYTES, true);
        if (bytes.length == 0) {
            throw ApiException.badRequest("A JSON body is required");
        }
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw ApiException.badRequest("A JSON object is required");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.invalidField(path(e), "is not a known field");
        } catch (InvalidFormatException e) {
            throw ApiException.invalidField(path(e), "has the wrong type or format");
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw field.isEmpty()
                    ? ApiException.badRequest("The body must be a JSON object of the expected shape")
                    : ApiException.invalidField(field, "has the wrong type");
        } catch (JsonMappingException e) {
            String field = path(e);
            Throwable cause = e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            throw field.isEmpty() ? ApiException.badRequest("The body is not valid for this route")
                    : ApiException.invalidField(field, "is not valid");
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("The JSON body is too deeply nested or has too long a value");
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON body");
        } catch (IOException e) {
            throw ApiException.badRequest("Could not read the request body");
        }
    }

    /** The raw body (for signed webhooks), with the same size limit. */
    public static byte[] readBytes(ServerRequest req, int limit, boolean requireJson) {
        if (requireJson && req.content().hasEntity()) {
            String contentType = req.headers().contentType().map(t -> t.mediaType().text()).orElse("");
            if (!contentType.equalsIgnoreCase("application/json")) {
                throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
            }
        }
        long declared = req.headers().contentLength().orElse(-1L);
        if (declared > limit) {
            throw tooLarge(limit);
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return bytes;
        } catch (IOException e) {
            throw ApiException.badRequest("Could not read the request body");
        }
    }

    private static ApiException tooLarge(int limit) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The body is larger than " + limit + " bytes",
                List.of(), null, null);
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** True when the request carries a header more than once (e.g. two Authorization headers). */
    public static boolean duplicated(ServerRequest req, io.helidon.http.HeaderName name) {
        return req.headers().contains(name) && req.headers().get(name).allValues().size() > 1;
    }
}
