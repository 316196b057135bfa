package dev.storefront.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.web.Validator;

/** The bodies of the inventory routes. */
public final class Requests {
    static final int MAX_LINES = 100;
    static final int MAX_QUANTITY = 10_000;

    private Requests() {
    }

    public record Line(UUID productId, Integer quantity) {
    }

    /** One product of a reservation, duplicates merged; {@code index} is its first line in the request. */
    public record Want(UUID productId, int quantity, int index) {
    }

    public record Reserve(UUID orderId, List<Line> items, Integer ttlSeconds) {
        /** Validates and merges lines naming the same product; the result is sorted by product id. */
        public List<Want> wants() {
            Validator v = new Validator().required("orderId", orderId).size("items", items, 1, MAX_LINES);
            if (ttlSeconds != null) {
                v.range("ttlSeconds", ttlSeconds, 1, 86_400);
            }
            if (items != null) {
                for (int i = 0; i < items.size(); i++) {
                    Line line = items.get(i);
                    if (line == null) {
                        v.add("items[" + i + "]", "is required");
                        continue;
                    }
                    v.required("items[" + i + "].productId", line.productId())
                            .range("items[" + i + "].quantity", line.quantity(), 1, MAX_QUANTITY);
                }
            }
            v.throwIfInvalid();
            Map<UUID, Want> merged = new LinkedHashMap<>();
            for (int i = 0; i < items.size(); i++) {
                Line line = items.get(i);
                int index = i;
                merged.merge(line.productId(), new Want(line.productId(), line.quantity(), index),
                        (a, b) -> new Want(a.productId(), a.quantity() + b.quantity(), a.index()));
            }
            List<Want> wants = new ArrayList<>(merged.values());
            wants.sort(java.util.Comparator.comparing(w -> w.productId().toString())); // PostgreSQL's uuid order
            return wants;
        }
    }

    public record Order(UUID orderId) {
        public UUID validated() {
            new Validator().required("orderId", orderId).throwIfInvalid();
            return orderId;
        }
    }

    public record Add(UUID productId, Integer quantity, Integer lowStockThreshold) {
        public void validate() {
            Validator v = new Validator().required("productId", productId).range("quantity", quantity, 1, 1_000_000);
            if (lowStockThreshold != null) {
                v.range("lowStockThreshold", lowStockThreshold, 0, 1_000_000);
            }
            v.throwIfInvalid();
        }
    }
}
