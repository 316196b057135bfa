package dev.storefront.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.RateLimiter;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * /api/analytics: {@code POST /events} (any shopper or an anonymous session, 202), and for the shop's
 * owner (admin; a vendor sees their own products) {@code GET /dashboard}, {@code GET /products/popular},
 * {@code GET /search/trending} (admin). The GETs read rollups only.
 */
final class AnalyticsService implements HttpService {
    private static final Pattern WINDOW = Pattern.compile("^([1-9][0-9]{0,2})([hd])$");
    private static final int MAX_RANGE_DAYS = 366;

    private final ServiceContext ctx;
    private final AnalyticsRepository repo;
    private final AnalyticsSettings settings;
    private final RateLimiter perClient;

    AnalyticsService(ServiceContext ctx, AnalyticsRepository repo, AnalyticsSettings settings) {
        this.ctx = ctx;
        this.repo = repo;
        this.settings = settings;
        this.perClient = new RateLimiter(settings.batchesPerMinute(), java.time.Duration.ofMinutes(1));
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/events", this::events)
                .get("/dashboard", this::dashboard)
                .get("/products/popular", this::popular)
                .get("/search/trending", this::trending);
    }

    private void events(ServerRequest req, ServerResponse res) {
        Principal user = ctx.authz().optionalUser(req).orElse(null);
        perClient.acquire(user != null ? "u:" + user.userId() : "ip:" + clientIp(req));
        ClientBatch batch = Bodies.read(req, ClientBatch.class);
        List<AnalyticsEvent> events = batch.validated(user == null ? null : user.userId(), settings.maxBatch(), Instant.now());
        AnalyticsRepository.Ingested done;
        try {
            done = repo.db().inTransaction(tx -> repo.ingest(tx, events));
        } catch (AnalyticsRepository.PartitionGone gone) { // once more, now that the partition list is fresh
            done = repo.db().inTransaction(tx -> repo.ingest(tx, events));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", done.accepted());
        body.put("duplicates", done.duplicates());
        body.put("expired", done.expired());
        Responses.status(res, 202, body);
    }

    /** The TCP peer, or the last hop of the configured client-IP header (the one our own ingress appended). */
    private String clientIp(ServerRequest req) {
        if (settings.clientIpHeader() != null) {
            var values = req.headers().values(HeaderNames.create(settings.clientIpHeader()));
            if (!values.isEmpty()) {
                String[] hops = values.getLast().split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 64) {
                    return last;
                }
            }
        }
        return req.remotePeer().host();
    }

    /** Admins see the shop; a vendor their own products (null: the shop). */
    private UUID scope(ServerRequest req) {
        Principal p = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        return p.role() == Role.VENDOR ? p.userId() : null;
    }

    private LocalDate date(ServerRequest req, String name, LocalDate fallback) {
        return Params.query(req, name).map(raw -> {
            try {
                return LocalDate.parse(raw);
            } catch (DateTimeException e) {
                throw ApiException.invalidField(name, "must be a date, YYYY-MM-DD (the shop's day, " + repo.zone() + ")");
            }
        }).orElse(fallback);
    }

    private void dashboard(ServerRequest req, ServerResponse res) {
        UUID vendor = scope(req);
        LocalDate to = date(req, "to", repo.today());
        LocalDate from = date(req, "from", to.minusDays(29));
        if (from.isAfter(to)) {
            throw ApiException.invalidField("from", "must not be after to");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_RANGE_DAYS) {
            throw ApiException.invalidField("from", "the range must be at most " + MAX_RANGE_DAYS + " days");
        }
        int top = Params.intParam(req, "top", 10, 1, 50);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from.toString());
        out.put("to", to.toString());
        out.put("timeZone", repo.zone().getId());
        out.put("scope", vendor == null ? "shop" : "vendor");
        if (vendor == null) {
            List<AnalyticsRepository.DaySeries> days = repo.shopDays(from, to);
            long orders = days.stream().mapToLong(AnalyticsRepository.DaySeries::orders).sum();
            long sessions = days.stream().mapToLong(AnalyticsRepository.DaySeries::sessions).sum();
            long cartSessions = days.stream().mapToLong(AnalyticsRepository.DaySeries::cartSessions).sum();
            BigDecimal revenue = days.stream().map(AnalyticsRepository.DaySeries::revenue).reduce(BigDecimal.ZERO, BigDecimal::add);
            out.put("orders", orders);
            out.put("revenue", revenue.setScale(2, RoundingMode.HALF_UP));
            out.put("averageOrderValue", orders == 0 ? BigDecimal.ZERO.setScale(2) : revenue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP));
            out.put("sessions", sessions);
            out.put("conversionRate", ratio(orders, sessions));
            out.put("addToCartRate", ratio(cartSessions, sessions));
            out.put("views", days.stream().mapToLong(AnalyticsRepository.DaySeries::views).sum());
            out.put("searches", days.stream().mapToLong(AnalyticsRepository.DaySeries::searches).sum());
            out.put("adds", days.stream().mapToLong(AnalyticsRepository.DaySeries::adds).sum());
            out.put("cancelled", days.stream().mapToLong(AnalyticsRepository.DaySeries::cancelled).sum());
            out.put("refunded", days.stream().mapToLong(AnalyticsRepository.DaySeries::refunded).sum());
            out.put("days", days);
        } else {
            List<AnalyticsRepository.ProductDay> days = repo.vendorDays(vendor, from, to);
            long views = days.stream().mapToLong(AnalyticsRepository.ProductDay::views).sum();
            long adds = days.stream().mapToLong(AnalyticsRepository.ProductDay::adds).sum();
            out.put("unitsSold", days.stream().mapToLong(AnalyticsRepository.ProductDay::purchases).sum());
            out.put("revenue", days.stream().map(AnalyticsRepository.ProductDay::revenue).reduce(BigDecimal.ZERO, BigDecimal::add)
                    .setScale(2, RoundingMode.HALF_UP));
            out.put("views", views);
            out.put("adds", adds);
            out.put("addToCartRate", ratio(adds, views));
            out.put("days", days);
        }
        out.put("topProducts", repo.topProducts(from, to, vendor, top));
        Responses.ok(res, out);
    }

    private static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO.setScale(4) : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    private AnalyticsRepository.Window window(ServerRequest req) {
        String raw = Params.query(req, "window").orElse("7d");
        Matcher m = WINDOW.matcher(raw);
        if (!m.matches()) {
            throw ApiException.invalidField("window", "must be hours (1h..168h) or days (1d..366d), e.g. 24h or 30d");
        }
        int amount = Integer.parseInt(m.group(1));
        boolean hours = m.group(2).equals("h");
        if (hours ? amount > 168 : amount > MAX_RANGE_DAYS) {
            throw ApiException.invalidField("window", "must be hours (1h..168h) or days (1d..366d), e.g. 24h or 30d");
        }
        return repo.window(raw, amount, hours);
    }

    private void popular(ServerRequest req, ServerResponse res) {
        UUID vendor = scope(req);
        String by = Params.oneOf(req, "by", Set.of("views", "purchases", "revenue")).orElse("views");
        AnalyticsRepository.Window w = window(req);
        int limit = Params.intParam(req, "limit", 10, 1, 100);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("by", by);
        out.put("window", w.text());
        out.put("since", w.from());
        out.put("timeZone", repo.zone().getId());
        out.put("products", repo.popular(w, by, vendor, limit));
        Responses.ok(res, out);
    }

    private void trending(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        AnalyticsRepository.Window w = window(req);
        int limit = Params.intParam(req, "limit", 10, 1, 100);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("window", w.text());
        out.put("since", w.from());
        out.put("timeZone", repo.zone().getId());
        out.put("queries", repo.searches(w, false, limit));
        out.put("zeroResults", repo.searches(w, true, limit));
        Responses.ok(res, out);
    }
}
