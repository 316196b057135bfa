package dev.storefront.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.storefront.common.ServiceServer;
import dev.storefront.common.db.Database;
import dev.storefront.common.testing.TestEnv;
import dev.storefront.common.testing.TestHttp;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo catalog and the benchmark generator. */
class CatalogDemoDataTest {
    private static final TestEnv ENV = new TestEnv();
    private static CatalogModule module;
    private static WebServer server;

    @BeforeAll
    static void start() {
        module = CatalogModule.create(ENV.context("catalog"));
        synchronized (ServiceServer.class) { // Helidon's metrics set-up is not safe for servers starting in parallel
            server = ServiceServer.start(ENV.config("catalog"), 0, List.of(module));
        }
    }

    @AfterAll
    static void stop() {
        server.stop();
        module.close();
        ENV.close();
    }

    @Test
    void seedsARealisticCatalogOnceThenGeneratesMoreWithCopy() throws Exception {
        List<CatalogDemoData.DemoProduct> demo = CatalogDemoData.products();
        assertThat(demo).hasSizeGreaterThanOrEqualTo(150);
        Set<String> names = new HashSet<>();
        demo.forEach(p -> assertThat(names.add(p.name())).as(p.name()).isTrue());

        module.seedDemoData();
        long products = module.repository().productCount();
        assertThat(products).isEqualTo(demo.size());
        assertThat(module.repository().categories()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(Database.count(module.context().db().execute(),
                "SELECT count(*) FROM outbox WHERE type = 'storefront.product.created'") + module.context().relay().publishedCount())
                .isEqualTo(demo.size());
        assertThat(CatalogDemoData.seed(module.context(), module.repository())).isZero(); // fixed ids: nothing new

        TestHttp http = new TestHttp(server.port());
        TestHttp.Reply electronics = http.get("/api/products?category=electronics&limit=100", null);
        assertThat(electronics.body().path("pagination").path("total").asLong()).isGreaterThan(20);
        assertThat(http.get("/api/products?q=espresso", null).data().get(0).path("name").asText()).contains("Espresso");

        int generated = CatalogDemoData.generate(ENV.jdbcUrl("catalog"), "postgres", "", 5_000);
        assertThat(generated).isEqualTo(5_000);
        assertThat(module.repository().productCount()).isEqualTo(products + 5_000);
    }
}
