package dev.storefront.common.testing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.opentelemetry.sdk.trace.data.SpanData;

import static org.assertj.core.api.Assertions.assertThat;

/** Spans as the trace tests compare them, whether read from an in-memory exporter or received over OTLP. */
public final class Traces {
    private Traces() {
    }

    /** One span: ids in lower-case hex, an empty parent for a root. */
    public record TraceSpan(String traceId, String spanId, String parentSpanId, String name, String service) {
        public boolean root() {
            return parentSpanId == null || parentSpanId.isEmpty() || parentSpanId.equals("0000000000000000");
        }

        @Override
        public String toString() {
            return service + ":" + name;
        }
    }

    public static TraceSpan of(SpanData span) {
        return new TraceSpan(span.getTraceId(), span.getSpanId(), span.getParentSpanId(), span.getName(),
                span.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")));
    }

    public static List<TraceSpan> inTrace(Collection<TraceSpan> spans, String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Services and span names, "service:name", of one trace. */
    public static Set<String> names(List<TraceSpan> trace) {
        return trace.stream().map(TraceSpan::toString).collect(Collectors.toSet());
    }

    /** Every span's parent is in the trace and there is exactly one root, {@code rootName} of {@code rootService}. */
    public static void assertNoOrphans(List<TraceSpan> trace, String rootService, String rootName) {
        Map<String, TraceSpan> byId = trace.stream().collect(Collectors.toMap(TraceSpan::spanId, s -> s, (a, b) -> a));
        List<TraceSpan> roots = trace.stream().filter(TraceSpan::root).toList();
        assertThat(roots).as("roots of " + trace).hasSize(1);
        assertThat(roots.getFirst().service()).isEqualTo(rootService);
        assertThat(roots.getFirst().name()).isEqualTo(rootName);
        List<TraceSpan> orphans = trace.stream().filter(s -> !s.root() && !byId.containsKey(s.parentSpanId())).toList();
        assertThat(orphans).as("spans whose parent is not in the trace").isEmpty();
    }
}
