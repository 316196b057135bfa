package dev.storefront.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.common.http.ServiceClient;
import dev.storefront.common.web.Params;

/**
 * Catalog's category tree, read from its public {@code GET /api/categories}: a product is indexed under its
 * category and every ancestor, so filtering by a category finds its whole subtree and the facet counts it.
 */
final class CategoryTree {
    record Node(UUID id, String slug, String name, UUID parentId) {
    }

    private final ServiceClient catalog;
    private volatile Map<UUID, Node> nodes = Map.of();

    CategoryTree(ServiceClient catalog) {
        this.catalog = catalog;
    }

    /** Reads the tree again (at a rebuild, and when a product names a category not seen yet). */
    void refresh() {
        Map<UUID, Node> fresh = new ConcurrentHashMap<>();
        for (JsonNode c : catalog.get("/api/categories")) {
            Params.parseId(c.path("id").asText("")).ifPresent(id -> fresh.put(id, new Node(id, c.path("slug").asText(),
                    c.path("name").asText(), Params.parseId(c.path("parentId").asText("")).orElse(null))));
        }
        nodes = fresh;
    }

    /** The category and its ancestors, nearest first; empty for none or one catalog has not told of. */
    List<Node> lineage(UUID categoryId) {
        if (categoryId != null && !nodes.containsKey(categoryId)) {
            refresh();
        }
        List<Node> lineage = new ArrayList<>();
        Node node = categoryId == null ? null : nodes.get(categoryId);
        while (node != null && lineage.size() < 32) { // bounded: a cycle in the data is not ours to loop on
            lineage.add(node);
            node = node.parentId() == null ? null : nodes.get(node.parentId());
        }
        return lineage;
    }
}
