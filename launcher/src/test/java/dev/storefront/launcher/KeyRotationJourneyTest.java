package dev.storefront.launcher;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TokenForge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * auth's signing key rotates while a shopper is logged in, over real HTTP between the services (each
 * verifies against auth's JWKS): the shopper's next cart and order calls succeed, a checkout after
 * the new key signs (new service tokens too) goes through, and a new login gets the new kid.
 */
class KeyRotationJourneyTest {
    private static PlatformFixture shop;

    @BeforeAll
    static void start() {
        shop = new PlatformFixture(false, Map.of("storefront.auth.key-reload-seconds", "1"));
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void aLoggedInShopperKeepsShoppingAcrossARotation() throws Exception {
        String admin = shop.adminToken();
        String product = shop.newProduct(admin, "Rotation Lamp " + UUID.randomUUID(), "12.00", 10);
        String email = "rotation-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Accounts.Session shopper = Accounts.register(shop.http, "Rita Rotation", email, "correct-horse-9", "customer");
        String oldKid = TokenForge.kid(shopper.accessToken());
        // the services have fetched the JWKS before the rotation
        assertThat(shop.http.post("/api/cart/add", shopper.accessToken(), Map.of("productId", product, "quantity", 1)).status()).isEqualTo(200);
        assertThat(shop.http.get("/api/orders", shopper.accessToken()).status()).isEqualTo(200);

        TestHttp.Reply rotated = shop.http.post("/api/auth/signing-keys/rotate", admin, null);
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        String newKid = rotated.data().path("kid").asText();
        Instant activatesAt = Instant.parse(rotated.data().path("activatesAt").asText());
        assertThat(rotated.data().path("previousKid").asText()).isEqualTo(oldKid);

        List<Integer> statuses = new java.util.ArrayList<>();
        do { // before and after the new key starts signing: the shopper's token is never refused
            statuses.add(shop.http.get("/api/cart", shopper.accessToken()).status());
            statuses.add(shop.http.get("/api/orders", shopper.accessToken()).status());
            Thread.sleep(200);
        } while (Instant.now().isBefore(activatesAt.plusMillis(300)));
        assertThat(statuses).containsOnly(200);

        // the shopper's own token, after the switch: cart and a checkout whose saga runs on new service tokens
        assertThat(shop.http.put("/api/cart/items/" + product, shopper.accessToken(), Map.of("quantity", 2)).status()).isEqualTo(200);
        TestHttp.Reply bought = shop.checkout(shopper.accessToken(), "rotation-" + UUID.randomUUID(), "pm_card_visa");
        assertThat(bought.status()).as(bought.toString()).isIn(200, 201);
        assertThat(shop.http.get("/api/orders/" + bought.data().path("orderId").asText(), shopper.accessToken()).data()
                .path("status").asText()).isEqualTo("CONFIRMED");

        // a new login is signed with the new key, and every service takes it (an unknown kid makes them fetch the JWKS again)
        Accounts.Session again = Accounts.login(shop.http, email, "correct-horse-9");
        assertThat(TokenForge.kid(again.accessToken())).isEqualTo(newKid);
        assertThat(shop.http.get("/api/cart", again.accessToken()).status()).isEqualTo(200);
        assertThat(shop.http.get("/api/orders", again.accessToken()).status()).isEqualTo(200);
        assertThat(shop.http.get("/api/auth/me", again.accessToken()).status()).isEqualTo(200);
        assertThat(shop.http.get("/api/orders", shopper.accessToken()).status()).isEqualTo(200);
        assertThat(shop.http.get("/api/auth/.well-known/jwks.json", null).body().path("keys").findValuesAsText("kid"))
                .containsExactlyInAnyOrder(oldKid, newKid);
    }
}
