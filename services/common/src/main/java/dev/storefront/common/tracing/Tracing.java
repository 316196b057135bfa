package dev.storefront.common.tracing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * The process's tracing, with the OpenTelemetry SDK: off (no-op tracers, no exporter thread, nothing
 * extracted or injected) unless {@code storefront.tracing.otlp-endpoint} names an OTLP/HTTP collector,
 * e.g. {@code http://otel-collector:4318}; {@code storefront.tracing.sampling-ratio} (0..1, default 1)
 * samples new traces, a sampled caller's decision is followed. Context travels as W3C {@code traceparent}.
 *
 * <p>One process may hold several services (the one-process launcher): each gets its own tracer
 * provider with its {@code service.name}, all feeding one exporter. A span started with {@link #span}
 * belongs to the service of the span it is made in.
 */
public final class Tracing {
    public static final String ENDPOINT_KEY = "storefront.tracing.otlp-endpoint";
    public static final String RATIO_KEY = "storefront.tracing.sampling-ratio";
    public static final String TRACEPARENT = "traceparent";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final ContextKey<String> SERVICE = ContextKey.named("storefront.service");
    private static final TextMapPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();
    private static final Tracing OFF = new Tracing(null, null);
    private static volatile Tracing current = OFF;

    private final SpanProcessor processor;
    private final Sampler sampler;
    private final Map<String, Tracer> tracers = new ConcurrentHashMap<>();

    private Tracing(SpanProcessor processor, Sampler sampler) {
        this.processor = processor;
        this.sampler = sampler;
    }

    /**
     * Turns tracing on for this process when {@code config} names an endpoint; does nothing otherwise or when
     * it is already on (in one process every service's config names the same collector).
     */
    public static synchronized void configure(Config config) {
        String endpoint = config.get(ENDPOINT_KEY).asString().map(String::trim).filter(s -> !s.isEmpty()).orElse(null);
        if (endpoint == null || current.enabled()) {
            return;
        }
        double ratio = samplingRatio(config);
        SpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(tracesUrl(endpoint))
                .setTimeout(Duration.ofSeconds(5))
                .build();
        current = new Tracing(BatchSpanProcessor.builder(exporter).build(), Sampler.parentBased(Sampler.traceIdRatioBased(ratio)));
    }

    static double samplingRatio(Config config) {
        String raw = config.get(RATIO_KEY).asString().orElse("1");
        double ratio;
        try {
            ratio = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(RATIO_KEY + " must be a number from 0 to 1, not '" + raw + "'");
        }
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException(RATIO_KEY + " must be a number from 0 to 1, not '" + raw + "'");
        }
        return ratio;
    }

    /** The OTLP/HTTP traces URL for a collector's base URL ({@code /v1/traces} added unless given). */
    static String tracesUrl(String endpoint) {
        String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
    }

    /** Tests: every span is handed to {@code exporter} as it ends, every trace sampled. */
    public static synchronized void exportTo(SpanExporter exporter) {
        off();
        current = new Tracing(SimpleSpanProcessor.create(exporter), Sampler.alwaysOn());
    }

    /** Flushes and stops the exporter (its thread ends); tracing is off afterwards. */
    public static synchronized void off() {
        Tracing was = current;
        current = OFF;
        if (was.processor != null) {
            was.processor.forceFlush().join(5, TimeUnit.SECONDS);
            was.processor.shutdown().join(5, TimeUnit.SECONDS);
        }
    }

    /** Sends the spans ended so far (before a process exits). */
    public static void flush() {
        Tracing t = current;
        if (t.processor != null) {
            t.processor.forceFlush().join(5, TimeUnit.SECONDS);
        }
    }

    public static boolean enabled() {
        return current.processor != null;
    }

    /** The tracer of one service ({@code service.name}); a no-op tracer when tracing is off. */
    public static Tracer tracer(String service) {
        Tracing t = current;
        if (t.processor == null) {
            return TracerProvider.noop().get("storefront");
        }
        return t.tracers.computeIfAbsent(service, s -> SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, s))))
                .setSampler(t.sampler)
                .addSpanProcessor(new SharedProcessor(t.processor))
                .build()
                .get("dev.storefront." + s));
    }

    /** The service whose span is current (null outside one). */
    public static String currentService() {
        return Context.current().get(SERVICE);
    }

    /**
     * Starts a span of {@code service} as a child of {@code parent} and makes it current; close the
     * returned handle on the same thread. Off: a no-op handle.
     */
    public static Traced start(String service, String name, SpanKind kind, Context parent) {
        if (!enabled()) {
            return Traced.NONE;
        }
        Span span = tracer(service).spanBuilder(name).setParent(parent).setSpanKind(kind).startSpan();
        return new Traced(span, parent.with(span).with(SERVICE, service).makeCurrent());
    }

    /**
     * A child of the current span, of the current span's service; outside a span, the root of a new trace of
     * {@code fallbackService}, or nothing when that is null (a background call starts no trace).
     */
    public static Traced span(String name, SpanKind kind, String fallbackService) {
        if (!enabled()) {
            return Traced.NONE;
        }
        String service = currentService();
        if (service == null && fallbackService == null) {
            return Traced.NONE;
        }
        return start(service == null ? fallbackService : service, name, kind, Context.current());
    }

    /** Runs {@code work} in a child span of the current one; what it throws is recorded and rethrown. */
    public static <T> T inSpan(String name, SpanKind kind, String fallbackService, Supplier<T> work) {
        try (Traced span = span(name, kind, fallbackService)) {
            try {
                return work.get();
            } catch (RuntimeException | Error e) {
                span.fail(e);
                throw e;
            }
        }
    }

    /** Writes the current context's {@code traceparent} (and {@code tracestate}) with {@code put}; nothing when off. */
    public static void inject(BiConsumer<String, String> put) {
        inject(Context.current(), put);
    }

    public static void inject(Context context, BiConsumer<String, String> put) {
        if (enabled()) {
            PROPAGATOR.inject(context, put, (carrier, key, value) -> carrier.accept(key, value));
        }
    }

    /** The current context as a {@code traceparent} value, or null (off, or no span): kept with an outbox row. */
    public static String traceparent() {
        if (!enabled() || !Span.current().getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        inject(carrier::put);
        return carrier.get(TRACEPARENT);
    }

    /** The context a carrier names ({@code get} reads one header); the root context when off or absent. */
    public static Context extract(Function<String, String> get) {
        if (!enabled()) {
            return Context.root();
        }
        return PROPAGATOR.extract(Context.root(), get, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(Function<String, String> carrier) {
                return PROPAGATOR.fields();
            }

            @Override
            public String get(Function<String, String> carrier, String key) {
                return carrier == null ? null : carrier.apply(key);
            }
        });
    }

    /** The context of a stored {@code traceparent} value. */
    public static Context fromTraceparent(String traceparent) {
        return traceparent == null ? Context.root() : extract(key -> TRACEPARENT.equals(key) ? traceparent : null);
    }

    /** The trace id of the current span, or null (off, or no span). */
    public static String traceId() {
        if (!enabled()) {
            return null;
        }
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    /** A started span and its scope: closing ends the scope, then the span. */
    public static final class Traced implements AutoCloseable {
        static final Traced NONE = new Traced(Span.getInvalid(), null);
        private final Span span;
        private final Scope scope;

        Traced(Span span, Scope scope) {
            this.span = span;
            this.scope = scope;
        }

        public Span span() {
            return span;
        }

        public Traced attribute(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        public Traced attribute(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        public void rename(String name) {
            span.updateName(name);
        }

        public void fail(Throwable e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
        }

        public void fail(String why) {
            span.setStatus(StatusCode.ERROR, why);
        }

        @Override
        public void close() {
            if (scope != null) {
                scope.close();
                span.end();
            }
        }
    }

    /** One exporter for every service's provider: only {@link #off} shuts it down. */
    private record SharedProcessor(SpanProcessor delegate) implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, io.opentelemetry.sdk.trace.ReadWriteSpan span) {
            delegate.onStart(parentContext, span);
        }

        @Override
        public boolean isStartRequired() {
            return delegate.isStartRequired();
        }

        @Override
        public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {
            delegate.onEnd(span);
        }

        @Override
        public boolean isEndRequired() {
            return delegate.isEndRequired();
        }

        @Override
        public io.opentelemetry.sdk.common.CompletableResultCode shutdown() {
            return io.opentelemetry.sdk.common.CompletableResultCode.ofSuccess();
        }

        @Override
        public io.opentelemetry.sdk.common.CompletableResultCode forceFlush() {
            return delegate.forceFlush();
        }
    }
}
