package dev.storefront.common;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

import dev.storefront.common.web.Json;
import dev.storefront.common.web.RequestContext;

/** One JSON object per log line, with the request id (and trace id, when one came in) of the request that logged it. */
public final class JsonLogFormatter extends Formatter {
    @Override
    public String format(LogRecord record) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("level", record.getLevel().getName());
        line.put("logger", record.getLoggerName());
        line.put("message", formatMessage(record));
        String requestId = RequestContext.requestId();
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        String traceId = RequestContext.traceId();
        if (traceId != null) {
            line.put("traceId", traceId);
        }
        line.put("thread", Thread.currentThread().getName());
        // a structured line (the access log): its fields at the top level, beside the message
        if (record.getParameters() != null && record.getParameters().length == 1 && record.getParameters()[0] instanceof Map<?, ?> fields) {
            fields.forEach((k, v) -> line.put(String.valueOf(k), v));
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.put("error", trace.toString());
        }
        return Json.write(line) + System.lineSeparator();
    }
}
