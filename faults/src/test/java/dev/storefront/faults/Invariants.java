package dev.storefront.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.launcher.Services;

/**
 * What must hold after any mix of crashes and retries, read straight from each service's
 * database: nothing lost (every answered checkout is a confirmed, paid order; stock adds up; every
 * confirmation mailed once; outboxes drained) and nothing doubled (one charge per order).
 */
final class Invariants {
    private static final Pattern UUID_IN_TEXT = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Shop shop;
    private final Map<String, Integer> initialStock;

    Invariants(Shop shop, Map<String, Integer> initialStock) {
        this.shop = shop;
        this.initialStock = initialStock;
    }

    /** What still moves: sagas in flight, pending orders, events not yet published, mails not yet made. */
    String unsettled() {
        List<String> moving = new ArrayList<>();
        long inFlight = shop.count("checkout", "SELECT count(*) FROM sagas WHERE step NOT IN ('COMPLETED', 'COMPENSATED')");
        if (inFlight > 0) {
            moving.add(inFlight + " sagas in flight");
        }
        long pending = shop.count("order", "SELECT count(*) FROM orders WHERE status = 'PENDING'");
        if (pending > 0) {
            moving.add(pending + " orders pending");
        }
        for (Services s : Services.values()) {
            long outbox = shop.count(s.id(), "SELECT count(*) FROM outbox");
            if (outbox > 0) {
                moving.add(outbox + " events in " + s.id() + "'s outbox");
            }
        }
        long confirmed = shop.count("order", "SELECT count(*) FROM orders WHERE status = 'CONFIRMED'");
        long mails = shop.count("notify", "SELECT count(*) FROM notifications WHERE template = 'order-confirmed'");
        if (confirmed != mails) {
            moving.add(confirmed + " confirmed orders but " + mails + " confirmation mails");
        }
        return String.join(", ", moving);
    }

    List<String> violations(List<CheckoutLoad.Outcome> outcomes) {
        List<String> v = new ArrayList<>();
        Map<String, String> orderStatus = new HashMap<>();
        shop.rows("order", "SELECT id::text AS id, status FROM orders").forEach(r -> orderStatus.put((String) r.get("id"), (String) r.get("status")));
        Map<String, List<Map<String, Object>>> payments = new HashMap<>();
        shop.rows("payment", "SELECT id::text AS id, order_id::text AS order_id, status FROM payments")
                .forEach(r -> payments.computeIfAbsent((String) r.get("order_id"), k -> new ArrayList<>()).add(r));

        // every checkout answered 2xx: a confirmed order with exactly one completed payment, the one we were told
        for (CheckoutLoad.Outcome o : outcomes) {
            switch (o.kind()) {
                case COMPLETED -> {
                    if (!"CONFIRMED".equals(orderStatus.get(o.orderId()))) {
                        v.add("checkout " + o.key() + " answered " + o.status() + " but order " + o.orderId() + " is " + orderStatus.get(o.orderId()));
                    }
                    List<Map<String, Object>> paid = payments.getOrDefault(o.orderId(), List.of()).stream()
                            .filter(p -> "COMPLETED".equals(p.get("status"))).toList();
                    if (paid.size() != 1) {
                        v.add("checkout " + o.key() + " (order " + o.orderId() + ") has " + paid.size() + " completed payments");
                    } else if (!paid.getFirst().get("id").equals(o.transactionId())) {
                        v.add("checkout " + o.key() + " answered transaction " + o.transactionId() + " but the payment is " + paid.getFirst().get("id"));
                    }
                }
                case DECLINED, CONFLICT -> {
                    String status = o.orderId() == null ? null : orderStatus.get(o.orderId());
                    if (status != null && !"CANCELLED".equals(status)) {
                        v.add("checkout " + o.key() + " answered " + o.status() + " but its order " + o.orderId() + " is " + status);
                    }
                    if (o.orderId() != null && payments.getOrDefault(o.orderId(), List.of()).stream().anyMatch(p -> "COMPLETED".equals(p.get("status")))) {
                        v.add("checkout " + o.key() + " answered " + o.status() + " but order " + o.orderId() + " was charged");
                    }
                }
                case REJECTED -> v.add("checkout " + o.key() + " was refused: " + o.body());
                case UNDECIDED -> { } // no promise was made to the shopper; the database checks below still cover it
            }
        }

        // sagas ended, and ended the same way as their orders
        for (Map<String, Object> s : shop.rows("checkout", "SELECT id::text AS id, step, status, order_id::text AS order_id FROM sagas")) {
            String step = (String) s.get("step");
            String order = (String) s.get("order_id");
            if (!Set.of("COMPLETED", "COMPENSATED").contains(step)) {
                v.add("saga " + s.get("id") + " never finished (step " + step + ")");
            } else if ("COMPLETED".equals(step) && !"CONFIRMED".equals(orderStatus.get(order))) {
                v.add("saga " + s.get("id") + " completed but order " + order + " is " + orderStatus.get(order));
            } else if ("COMPENSATED".equals(step) && order != null && orderStatus.containsKey(order) && !"CANCELLED".equals(orderStatus.get(order))) {
                v.add("saga " + s.get("id") + " compensated but order " + order + " is " + orderStatus.get(order));
            }
        }

        // orders: none pending; a confirmed one paid exactly once, a cancelled one not charged
        orderStatus.forEach((order, status) -> {
            long completed = payments.getOrDefault(order, List.of()).stream().filter(p -> "COMPLETED".equals(p.get("status"))).count();
            if ("PENDING".equals(status)) {
                v.add("order " + order + " is still PENDING");
            } else if ("CONFIRMED".equals(status) && completed != 1) {
                v.add("confirmed order " + order + " has " + completed + " completed payments");
            } else if ("CANCELLED".equals(status) && completed > 0) {
                v.add("cancelled order " + order + " kept a completed payment (not refunded)");
            }
        });
        payments.forEach((order, rows) -> {
            if (rows.size() > 1) {
                v.add("order " + order + " has " + rows.size() + " payment rows");
            }
            if (!orderStatus.containsKey(order)) {
                v.add("payment for unknown order " + order);
            }
        });

        // stock adds up: initial = available + reserved + sold; sold = what confirmed orders hold; reserved = live reservations
        Map<String, Long> soldByOrders = new HashMap<>();
        for (Map<String, Object> r : shop.rows("order", "SELECT i.product_id::text AS p, sum(i.quantity) AS q FROM order_items i "
                + "JOIN orders o ON o.id = i.order_id WHERE o.status IN ('CONFIRMED', 'SHIPPED', 'DELIVERED') GROUP BY 1")) {
            soldByOrders.put((String) r.get("p"), ((Number) r.get("q")).longValue());
        }
        Map<String, Long> live = new HashMap<>();
        for (Map<String, Object> r : shop.rows("inventory", "SELECT i.product_id::text AS p, sum(i.quantity) AS q FROM reservation_items i "
                + "JOIN reservations r ON r.order_id = i.order_id WHERE r.state = 'RESERVED' GROUP BY 1")) {
            live.put((String) r.get("p"), ((Number) r.get("q")).longValue());
        }
        for (Map<String, Object> s : shop.rows("inventory", "SELECT product_id::text AS p, available, reserved, sold FROM stock")) {
            String p = (String) s.get("p");
            int available = (Integer) s.get("available");
            int reserved = (Integer) s.get("reserved");
            int sold = (Integer) s.get("sold");
            Integer initial = initialStock.get(p);
            if (available < 0 || reserved < 0 || sold < 0) {
                v.add("product " + p + " has negative stock: " + available + "/" + reserved + "/" + sold);
            }
            if (initial != null && initial != available + reserved + sold) {
                v.add("product " + p + ": initial " + initial + " != available " + available + " + reserved " + reserved + " + sold " + sold);
            }
            if (sold != soldByOrders.getOrDefault(p, 0L)) {
                v.add("product " + p + ": sold " + sold + " but confirmed orders hold " + soldByOrders.getOrDefault(p, 0L));
            }
            if (reserved != live.getOrDefault(p, 0L)) {
                v.add("product " + p + ": reserved " + reserved + " but live reservations hold " + live.getOrDefault(p, 0L));
            }
        }

        // one confirmation mail per confirmed order
        Map<String, Integer> mails = new HashMap<>();
        for (Map<String, Object> n : shop.rows("notify", "SELECT subject FROM notifications WHERE template = 'order-confirmed'")) {
            Matcher m = UUID_IN_TEXT.matcher((String) n.get("subject"));
            if (m.find()) {
                mails.merge(m.group(), 1, Integer::sum);
            }
        }
        orderStatus.forEach((order, status) -> {
            int n = mails.getOrDefault(order, 0);
            if ("CONFIRMED".equals(status) && n != 1) {
                v.add("confirmed order " + order + " has " + n + " confirmation mails");
            }
        });
        mails.forEach((order, n) -> {
            if (!"CONFIRMED".equals(orderStatus.get(order)) && !"CANCELLED".equals(orderStatus.get(order))) {
                v.add("confirmation mail for order " + order + " which is " + orderStatus.get(order));
            }
        });

        // the outboxes drained
        for (Services s : Services.values()) {
            long left = shop.count(s.id(), "SELECT count(*) FROM outbox");
            if (left > 0) {
                v.add(s.id() + "'s outbox still holds " + left + " events");
            }
        }
        return v;
    }
}
