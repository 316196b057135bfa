package dev.storefront.notify;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.tracing.Tracing;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.Params;
import io.helidon.dbclient.DbExecute;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Turns events and internal requests into notifications: finds the recipients (the user from
 * auth, or every admin for low stock), renders the template and records the mail, PENDING for the
 * sender job or RECORDED when no SMTP server is configured.
 */
public final class Notifier {
    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

    /** The events notify listens to and the template each one uses. */
    public static final Map<String, String> TEMPLATE_BY_EVENT = Map.of(
            "storefront.user.registered", "welcome",
            "storefront.order.confirmed", "order-confirmed",
            "storefront.order.shipped", "order-shipped",
            "storefront.order.delivered", "order-delivered",
            "storefront.order.cancelled", "order-cancelled",
            "storefront.payment.failed", "payment-failed",
            "storefront.payment.refunded", "payment-refunded",
            "storefront.inventory.low_stock", "low-stock");

    /** Who a mail goes to. */
    record Recipient(UUID userId, String email, String name) {
    }

    private final ServiceContext ctx;
    private final NotifyRepository repo;
    private final Mailer mailer;

    public Notifier(ServiceContext ctx, NotifyRepository repo, Mailer mailer) {
        this.ctx = ctx;
        this.repo = repo;
        this.mailer = mailer;
    }

    /** Records the mails an event calls for, inside the consumer's transaction. */
    public void onEvent(DbExecute tx, CloudEvent event) {
        String template = TEMPLATE_BY_EVENT.get(event.type());
        JsonNode d = event.data();
        Map<String, Object> values = values(event.type(), d);
        for (Recipient to : recipients(event.type(), d)) {
            if (to.email() == null || to.email().isBlank()) {
                continue;
            }
            Map<String, Object> mine = new HashMap<>(values);
            mine.put("name", to.name() == null || to.name().isBlank() ? "there" : to.name());
            // the mail this event makes: recorded, or queued for the sender job, which sends it in this trace
            try (Tracing.Traced span = Tracing.span("mail " + template, SpanKind.INTERNAL, null)) {
                span.attribute("storefront.mail.template", template).attribute("storefront.mail.status", initialStatus().name());
                repo.insert(tx, to.userId(), to.email(), template, Templates.render(template, mine, null), initialStatus(), event.id());
            }
        }
    }

    /** POST /internal/notify: one mail to a user (looked up in auth) or an address. */
    public Notification send(NotifyRequest request) {
        request.validate();
        Recipient to;
        if (request.email() != null) {
            to = new Recipient(request.userId(), request.email(), request.data().path("name").asText(null));
        } else {
            to = user(request.userId()).orElseThrow(() -> ApiException.invalidField("userId", "is not a known user"));
        }
        Map<String, Object> values = new HashMap<>();
        request.data().properties().forEach(field -> values.put(field.getKey(), plain(field.getValue())));
        values.putIfAbsent("name", to.name() == null ? "there" : to.name());
        Templates.Rendered mail = Templates.render(request.template(), values, request.subject());
        return ctx.db().inTransaction(tx -> repo.insert(tx, to.userId(), to.email(), request.template(), mail, initialStatus(), null)
                .orElseThrow());
    }

    private Notification.Status initialStatus() {
        return mailer.configured() ? Notification.Status.PENDING : Notification.Status.RECORDED;
    }

    private List<Recipient> recipients(String type, JsonNode d) {
        if (type.equals("storefront.user.registered")) {
            return List.of(new Recipient(Params.parseId(d.path("userId").asText(null)).orElse(null),
                    d.path("email").asText(), d.path("name").asText(null)));
        }
        if (type.equals("storefront.inventory.low_stock")) {
            List<Recipient> admins = new ArrayList<>();
            for (JsonNode admin : ctx.client("auth").get("/internal/auth/admins")) {
                admins.add(recipient(admin));
            }
            return admins;
        }
        Optional<UUID> userId = Params.parseId(d.path("userId").asText(null));
        Optional<Recipient> user = userId.flatMap(this::user);
        if (user.isEmpty()) {
            LOG.log(Level.WARNING, type + ": no user " + userId.orElse(null) + " to notify");
        }
        return user.stream().toList();
    }

    /** A user's address from auth; empty when auth does not know them (a retry would not help). */
    private Optional<Recipient> user(UUID userId) {
        try {
            return Optional.of(recipient(ctx.client("auth").get("/internal/auth/users/" + userId)));
        } catch (ApiException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                return Optional.empty();
            }
            throw e; // auth unavailable: the event is redelivered later
        }
    }

    private static Recipient recipient(JsonNode user) {
        return new Recipient(Params.parseId(user.path("id").asText(null)).orElse(null), user.path("email").asText(),
                user.path("name").asText(null));
    }

    private static Map<String, Object> values(String type, JsonNode d) {
        Map<String, Object> v = new HashMap<>();
        if (type.startsWith("storefront.order.")) {
            String currency = d.path("currency").asText("");
            v.put("orderId", d.path("id").asText());
            v.put("total", money(d.path("total"), currency));
            v.put("currency", currency);
            List<String> items = new ArrayList<>();
            for (JsonNode item : d.path("items")) {
                items.add(item.path("quantity").asInt() + " x " + item.path("name").asText() + ": "
                        + money(item.path("lineTotal"), currency) + " " + currency);
            }
            v.put("items", items);
            v.put("note", "CONFIRMED".equals(d.path("previousStatus").asText()) ? "Your payment will be refunded." : "");
        } else if (type.startsWith("storefront.payment.")) {
            String currency = d.path("currency").asText("");
            v.put("orderId", d.path("orderId").asText());
            v.put("amount", money(d.path("amount"), currency));
            v.put("currency", currency);
            v.put("reason", d.path("failureReason").asText("declined"));
        } else if (type.equals("storefront.inventory.low_stock")) {
            v.put("productId", d.path("productId").asText());
            v.put("available", d.path("available").asText());
            v.put("lowStockThreshold", d.path("lowStockThreshold").asText());
        }
        return v;
    }

    /** An amount as people read it in its currency: 20 USD -> "20.00". */
    static String money(JsonNode amount, String currency) {
        if (!amount.isNumber() && !amount.isTextual()) {
            return "";
        }
        BigDecimal value = new BigDecimal(amount.asText());
        int digits = 2;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            // unknown currency: show cents
        }
        return value.setScale(Math.max(digits, value.stripTrailingZeros().scale()), RoundingMode.UNNECESSARY).toPlainString();
    }

    private static Object plain(JsonNode value) {
        if (value.isArray()) {
            List<String> list = new ArrayList<>();
            value.forEach(item -> list.add(item.isValueNode() ? item.asText() : item.toString()));
            return list;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
