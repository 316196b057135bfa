package dev.storefront.catalog;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.storefront.common.db.Database;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo catalog and the benchmark generator. */
class CatalogDemoDataTest {
    @RegisterExtension
    static final ServiceFixture<CatalogModule> CATALOG = ServiceFixture.of("catalog", CatalogModule::create);

    @Test
    void seedsARealisticCatalogOnceThenGeneratesMoreWithCopy(CatalogModule module, TestHttp http) throws Exception {
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

        TestHttp.Reply electronics = http.get("/api/products?category=electronics&limit=100", null);
        assertThat(electronics.body().path("pagination").path("total").asLong()).isGreaterThan(20);
        assertThat(http.get("/api/products?q=espresso", null).data().get(0).path("name").asText()).contains("Espresso");

        int generated = CatalogDemoData.generate(CATALOG.env().jdbcUrl("catalog"), "postgres", "", 5_000);
        assertThat(generated).isEqualTo(5_000);
        assertThat(module.repository().productCount()).isEqualTo(products + 5_000);
    }
}
