package dev.storefront.search;

import java.time.Duration;

import dev.storefront.catalog.CatalogModule;
import dev.storefront.common.testing.ServiceFixture;

import static org.awaitility.Awaitility.await;

/**
 * A real catalog with its demo data and a search service that indexes it: search calls catalog over HTTP
 * and reads catalog's events from catalog's stream, as in the shop.
 */
final class CatalogAndSearch implements AutoCloseable {
    final ServiceFixture<CatalogModule> catalog = ServiceFixture.of("catalog", CatalogModule::create)
            .set("storefront.demo-data", "true");
    final ServiceFixture<SearchModule> search = ServiceFixture.of("search", SearchModule::create);

    CatalogAndSearch start() {
        catalog.start();
        replica(search);
        return this;
    }

    /** Starts a search replica on catalog's stream and waits for its index to be loaded. */
    ServiceFixture<SearchModule> replica(ServiceFixture<SearchModule> replica) {
        String id = catalog.env().id();
        replica.set("storefront.services.catalog.url", "http://127.0.0.1:" + catalog.port())
                .set("storefront.events.stream", "T" + id.toUpperCase())
                .set("storefront.events.subject-prefix", "t" + id)
                .start();
        await().atMost(Duration.ofMinutes(3)).until(() -> replica.module().rebuild().progress().state().equals("done"));
        return replica;
    }

    @Override
    public void close() {
        search.close();
        catalog.close();
    }
}
