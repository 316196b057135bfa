package dev.storefront.order;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Authz;
import dev.storefront.common.security.Principal;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Page;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/orders: a shopper's own orders; the admin listing and the admin's ship / deliver / cancel. */
public final class OrderService implements HttpService {
    /** Body of PUT /api/orders/{id}/status. */
    public record AdminAction(String action, String note) {
    }

    private static final Map<String, OrderStatus> ACTIONS = Map.of(
            "ship", OrderStatus.SHIPPED, "deliver", OrderStatus.DELIVERED, "cancel", OrderStatus.CANCELLED);
    private static final java.util.Set<String> STATUSES = java.util.Set.copyOf(
            Arrays.stream(OrderStatus.values()).map(Enum::name).toList());

    private final ServiceContext ctx;
    private final OrderRepository repository;

    public OrderService(ServiceContext ctx, OrderRepository repository) {
        this.ctx = ctx;
        this.repository = repository;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::listOwn)
                .get("/admin", this::listAll) // before /{id}
                .get("/{id}", this::get)
                .put("/{id}/status", this::changeStatus);
    }

    private void listOwn(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        Page page = Page.from(req);
        OrderRepository.Filter filter = new OrderRepository.Filter(p.userId(), null, null, null);
        Responses.page(res, repository.list(filter, page), page, repository.count(filter));
    }

    private void listAll(ServerRequest req, ServerResponse res) {
        ctx.authz().admin(req);
        Page page = Page.from(req);
        OrderStatus status = Params.query(req, "status").map(s -> OrderStatus.parse(s)
                .orElseThrow(() -> ApiException.invalidField("status", "must be one of " + String.join(", ", STATUSES.stream().sorted().toList()))))
                .orElse(null);
        Instant from = Params.instant(req, "from").orElse(null);
        Instant to = Params.instant(req, "to").map(t -> dateOnly(req, "to") ? t.plus(1, ChronoUnit.DAYS) : t).orElse(null);
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalidField("to", "must be after from");
        }
        OrderRepository.Filter filter = new OrderRepository.Filter(null, status, from, to);
        Responses.page(res, repository.list(filter, page), page, repository.count(filter));
    }

    /** A bare date as {@code to} means through the end of that day (UTC). */
    private static boolean dateOnly(ServerRequest req, String name) {
        return Params.query(req, name).map(v -> v.length() == 10).orElse(false);
    }

    private void get(ServerRequest req, ServerResponse res) {
        Principal p = ctx.authz().user(req);
        Order order = Params.parseId(req.path().pathParameters().first("id").orElse(""))
                .flatMap(repository::find).orElseThrow(() -> ApiException.notFound("Order"));
        Authz.ownedOrNotFound(p, order.userId(), "Order");
        Responses.ok(res, order);
    }

    private void changeStatus(ServerRequest req, ServerResponse res) {
        Principal admin = ctx.authz().admin(req);
        UUID id = Params.pathId(req, "id", "Order");
        AdminAction body = Bodies.read(req, AdminAction.class);
        new Validator().required("action", body.action())
                .oneOf("action", body.action(), ACTIONS.keySet())
                .text("note", body.note(), 500)
                .throwIfInvalid();
        String note = Optional.ofNullable(body.note()).filter(n -> !n.isBlank())
                .orElse(body.action() + " by " + (admin.email() != null ? admin.email() : admin.subject()));
        Responses.ok(res, repository.transition(id, ACTIONS.get(body.action()), note, null).order());
    }
}
