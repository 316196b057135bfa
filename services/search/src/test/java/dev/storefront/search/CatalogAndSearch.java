package dev.storefront.search;

import java.time.Duration;

import dev.storefront.catalog.CatalogModule;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.inventory.InventoryModule;

import static org.awaitility.Awaitility.await;

/**
 * A real catalog with its demo data, a real inventory (demo stock for each product catalog creates) and a search
 * service that indexes them: search calls catalog and inventory over HTTP and reads both services' events from
 * catalog's stream, as in the shop.
 */
final class CatalogAndSearch implements AutoCloseable {
    final ServiceFixture<CatalogModule> catalog = ServiceFixture.of("catalog", CatalogModule::create)
            .set("storefront.demo-data", "true");
    final ServiceFixture<InventoryModule> inventory = ServiceFixture.of("inventory", InventoryModule::create)
            .set("storefront.demo-data", "true");
    final ServiceFixture<SearchModule> search = ServiceFixture.of("search", SearchModule::create);

    CatalogAndSearch start() {
        startNeighbours();
        replica(search);
        return this;
    }

    /** Catalog (seeding its demo products) and inventory on catalog's stream, without a search replica yet. */
    CatalogAndSearch startNeighbours() {
        catalog.start();
        onCatalogsStream(inventory).start();
        return this;
    }

    /** Starts a search replica on catalog's stream and waits for its index to be loaded. */
    ServiceFixture<SearchModule> replica(ServiceFixture<SearchModule> replica) {
        onCatalogsStream(replica)
                .set("storefront.services.catalog.url", "http://127.0.0.1:" + catalog.port())
                .set("storefront.services.inventory.url", "http://127.0.0.1:" + inventory.port())
                .start();
        await().atMost(Duration.ofMinutes(3)).until(() -> replica.module().rebuild().progress().state().equals("done"));
        return replica;
    }

    private <M extends dev.storefront.common.ServiceModule> ServiceFixture<M> onCatalogsStream(ServiceFixture<M> fixture) {
        String id = catalog.env().id();
        return fixture.set("storefront.events.stream", "T" + id.toUpperCase())
                .set("storefront.events.subject-prefix", "t" + id);
    }

    @Override
    public void close() {
        search.close();
        inventory.close();
        catalog.close();
    }
}
