package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Database and role names: per namespace and name, readable, within PostgreSQL's 63 bytes. */
class StorefrontNamesTest {

    @Test
    void theDefaultPrefixIsNamespaceAndNameSoSameNamedShopsDiffer() {
        assertThat(StorefrontNames.database(storefront("shop-prod", "storefront"), ShopService.CART))
                .isEqualTo("shop_prod_storefront_cart");
        assertThat(StorefrontNames.database(storefront("team-a", "shop"), ShopService.ORDER))
                .isNotEqualTo(StorefrontNames.database(storefront("team-b", "shop"), ShopService.ORDER));
        assertThat(StorefrontNames.database(storefront("1st", "shop.v2"), ShopService.AUTH)).isEqualTo("sf_1st_shop_v2_auth");
    }

    @Test
    void aLongPrefixIsCutToFitAndEndsInAHashOfTheFullName() {
        String namespace = "n".repeat(63);
        String name = "a-very-long-storefront-name-" + "x".repeat(100);
        for (ShopService service : ShopService.backends()) {
            String db = StorefrontNames.database(storefront(namespace, name), service);
            assertThat(db.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
            assertThat(db).startsWith("nnnnnnnn").endsWith("_" + service.id()).matches("[a-z_][a-z0-9_]{0,62}");
        }
        // two names that differ only past the cut still get different databases
        String one = StorefrontNames.database(storefront(namespace, name + "-1"), ShopService.INVENTORY);
        String two = StorefrontNames.database(storefront(namespace, name + "-2"), ShopService.INVENTORY);
        assertThat(one).isNotEqualTo(two).hasSize(two.length());
    }

    @Test
    void anExplicitNamePrefixIsUsedAsItIs() {
        Storefront sf = storefront("shop", "storefront");
        sf.getSpec().database.namePrefix = "legacy";
        assertThat(StorefrontNames.database(sf, ShopService.CATALOG)).isEqualTo("legacy_catalog");
    }

    private static Storefront storefront(String namespace, String name) {
        var sf = new Storefront();
        sf.getMetadata().setNamespace(namespace);
        sf.getMetadata().setName(name);
        return sf;
    }
}
