package dev.storefront.catalog.images;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import io.helidon.webserver.http.ServerRequest;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * Reads the {@code file} part of a {@code multipart/form-data} upload with Apache James mime4j (Helidon's
 * multipart module is not served here), never holding more than the size limit of it in memory.
 */
public final class MultipartUpload {
    /** Room for the boundaries and part headers around the file. */
    private static final int OVERHEAD = 64 * 1024;
    private static final MimeConfig MIME = new MimeConfig.Builder()
            .setMaxHeaderCount(16).setMaxHeaderLen(8 * 1024).setMaxLineLen(-1).setStrictParsing(false).build();

    private MultipartUpload() {
    }

    public static UploadedFile read(ServerRequest req, int maxBytes) {
        String contentType = req.headers().contentType().map(t -> t.text()).orElse("");
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data") || !contentType.contains("boundary=")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be multipart/form-data with a boundary");
        }
        if (req.headers().contentLength().orElse(-1L) > (long) maxBytes + OVERHEAD) {
            throw tooLarge(maxBytes);
        }
        if (!req.content().hasEntity()) {
            throw ApiException.invalidField("file", "is required (a multipart field named file)");
        }
        MimeTokenStream parts = new MimeTokenStream(MIME);
        try (InputStream body = req.content().inputStream()) {
            parts.parseHeadless(body, contentType);
            String name = null;
            String filename = null;
            for (EntityState state = parts.getState(); state != EntityState.T_END_OF_STREAM; state = parts.next()) {
                if (state == EntityState.T_START_BODYPART) {
                    name = null;
                    filename = null;
                } else if (state == EntityState.T_FIELD && parts.getField().getName().equalsIgnoreCase("Content-Disposition")) {
                    List<NameValuePair> params = RawFieldParser.DEFAULT.parseRawBody(raw(parts.getField())).getParams();
                    name = param(params, "name");
                    filename = param(params, "filename");
                } else if (state == EntityState.T_BODY && "file".equals(name)) {
                    byte[] bytes = parts.getDecodedInputStream().readNBytes(maxBytes + 1);
                    if (bytes.length > maxBytes) {
                        body.transferTo(java.io.OutputStream.nullOutputStream()); // let the client finish sending
                        throw tooLarge(maxBytes);
                    }
                    if (bytes.length == 0) {
                        throw ApiException.invalidField("file", "is empty (0 bytes)");
                    }
                    return new UploadedFile(bytes, filename);
                }
            }
        } catch (MimeException | IOException e) {
            throw ApiException.badRequest("Malformed multipart body: " + e.getMessage());
        }
        throw ApiException.invalidField("file", "is required (a multipart field named file)");
    }

    private static RawField raw(Field field) throws MimeException {
        return field instanceof RawField raw ? raw : RawFieldParser.DEFAULT.parseField(field.getRaw());
    }

    private static String param(List<NameValuePair> params, String key) {
        return params.stream().filter(p -> p.getName().equalsIgnoreCase(key)).map(NameValuePair::getValue).findFirst().orElse(null);
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The file is larger than " + (maxBytes / (1024 * 1024)) + " MB",
                List.of(new dev.storefront.common.web.FieldError("file", "is larger than " + maxBytes + " bytes")), null, null);
    }
}
