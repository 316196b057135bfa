package dev.storefront.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Json;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /internal/orders: checkout creates orders and moves them along; service tokens only. */
public final class OrderInternalService implements HttpService {
    public static final int MAX_ITEMS = 100;

    /** Body of POST /internal/orders. */
    public record CreateOrder(String idempotencyKey, UUID userId, List<NewItem> items, String currency,
                              ShippingAddress shippingAddress) {
    }

    public record NewItem(UUID productId, String name, BigDecimal unitPrice, Integer quantity) {
    }

    /** Body of PUT /internal/orders/{id}/status. */
    public record SetStatus(String status, String note, String paymentTransactionId) {
    }

    private final ServiceContext ctx;
    private final OrderRepository repository;

    public OrderInternalService(ServiceContext ctx, OrderRepository repository) {
        this.ctx = ctx;
        this.repository = repository;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/{id}", this::get)
                .put("/{id}/status", this::setStatus);
    }

    private void create(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        CreateOrder body = Bodies.read(req, CreateOrder.class);
        OrderRepository.NewOrder order = validate(body);
        OrderRepository.Created result = repository.create(order);
        Responses.status(res, result.created() ? 201 : 200, result.order());
    }

    private void get(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID id = Params.pathId(req, "id", "Order");
        Responses.ok(res, repository.find(id).orElseThrow(() -> ApiException.notFound("Order")));
    }

    private void setStatus(ServerRequest req, ServerResponse res) {
        ctx.authz().service(req);
        UUID id = Params.pathId(req, "id", "Order");
        SetStatus body = Bodies.read(req, SetStatus.class);
        Validator v = new Validator().required("status", body.status())
                .text("note", body.note(), 500)
                .text("paymentTransactionId", body.paymentTransactionId(), 200);
        if (body.status() != null && OrderStatus.parse(body.status()).isEmpty()) {
            v.add("status", "must be one of PENDING, CONFIRMED, SHIPPED, DELIVERED, CANCELLED");
        }
        v.throwIfInvalid();
        OrderStatus target = OrderStatus.parse(body.status()).orElseThrow();
        Responses.ok(res, repository.transition(id, target, body.note(), body.paymentTransactionId()).order());
    }

    /** Checks every field (all problems in one 400) and computes the exact subtotal. */
    static OrderRepository.NewOrder validate(CreateOrder body) {
        Validator v = new Validator()
                .requiredText("idempotencyKey", body.idempotencyKey(), 200)
                .required("userId", body.userId())
                .required("currency", body.currency())
                .currency("currency", body.currency())
                .size("items", body.items(), 1, MAX_ITEMS)
                .required("shippingAddress", body.shippingAddress());
        if (body.shippingAddress() != null) {
            body.shippingAddress().validate(v, "shippingAddress");
        }
        List<Order.Item> items = new ArrayList<>();
        BigDecimal subtotal = BigDecimal.ZERO.setScale(2);
        Set<UUID> seen = new HashSet<>();
        List<NewItem> lines = body.items() == null ? List.of() : body.items();
        for (int i = 0; i < lines.size(); i++) {
            NewItem item = lines.get(i);
            String at = "items[" + i + "]";
            if (item == null) {
                v.add(at, "is required");
                continue;
            }
            v.required(at + ".productId", item.productId())
                    .requiredText(at + ".name", item.name(), 200)
                    .money(at + ".unitPrice", item.unitPrice())
                    .range(at + ".quantity", item.quantity(), 1, 99);
            if (item.productId() != null && !seen.add(item.productId())) {
                v.add(at + ".productId", "appears more than once");
            }
            if (v.errors().isEmpty()) {
                BigDecimal price = item.unitPrice().setScale(2, RoundingMode.UNNECESSARY);
                subtotal = subtotal.add(price.multiply(BigDecimal.valueOf(item.quantity())));
                items.add(new Order.Item(item.productId(), item.name(), price, item.quantity(),
                        price.multiply(BigDecimal.valueOf(item.quantity()))));
            }
        }
        if (v.errors().isEmpty() && subtotal.compareTo(Validator.MAX_MONEY) > 0) {
            v.add("items", "the order total must be at most " + Validator.MAX_MONEY.toPlainString());
        }
        v.throwIfInvalid();
        return new OrderRepository.NewOrder(body.idempotencyKey(), hash(body, items), body.userId(), List.copyOf(items),
                subtotal, body.currency(), body.shippingAddress());
    }

    /** Identifies the request behind a key: the same order asked for twice hashes the same. */
    private static String hash(CreateOrder body, List<Order.Item> items) {
        String canonical = Json.write(new Object[] {body.userId(), items, body.currency(), body.shippingAddress()});
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
