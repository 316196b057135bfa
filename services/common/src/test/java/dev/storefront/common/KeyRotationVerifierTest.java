package dev.storefront.common;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.storefront.common.security.Role;
import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.testing.FakeNeighbour;
import dev.storefront.common.testing.TokenForge;
import dev.storefront.common.web.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A verifier that reads auth's JWKS over HTTP after auth rotated its key: tokens of the new key verify
 * (the unknown kid makes it fetch again), tokens of the previous key still verify while auth lists it,
 * and forged kids do not make it fetch on every request.
 */
class KeyRotationVerifierTest {

    @Test
    void anUnknownKidFetchesTheJwksAgainAtMostOncePerSecond() throws Exception {
        SigningKey previous = SigningKey.generate();
        SigningKey current = SigningKey.generate();
        List<SigningKey> published = new CopyOnWriteArrayList<>(List.of(previous));
        try (FakeNeighbour auth = new FakeNeighbour()
                .on("jwks", "GET", "/jwks", call -> FakeNeighbour.Answer.json(200,
                        dev.storefront.common.web.Json.write(Map.of("keys", published.stream().map(SigningKey::publicJwk).toList())), Map.of()))
                .start()) {
            TokenVerifier verifier = TokenVerifier.remote(auth.url() + "/jwks");
            UUID shopper = UUID.randomUUID();
            String before = TokenForge.rs256(TokenForge.access(shopper, "customer"), previous, previous.kid());
            assertThat(verifier.verifyAccess(before).userId()).isEqualTo(shopper);
            assertThat(auth.calls("jwks")).isEqualTo(1);

            published.add(current); // auth rotated: both keys listed
            String after = TokenForge.rs256(TokenForge.access(shopper, "customer"), current, current.kid());
            assertThat(verifier.verifyAccess(after).role()).isEqualTo(Role.CUSTOMER);
            assertThat(auth.calls("jwks")).as("fetched again for the new kid").isEqualTo(2);
            // the previous key's token is remembered; a fresh one of the previous key needs no fetch either
            String beforeAgain = TokenForge.rs256(TokenForge.access(shopper, "customer"), previous, previous.kid());
            assertThat(verifier.verifyAccess(beforeAgain).userId()).isEqualTo(shopper);

            SigningKey forger = SigningKey.generate();
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 50; i++) {
                    String forged = TokenForge.rs256(TokenForge.access(shopper, "admin"), forger, "kid-" + UUID.randomUUID());
                    threads.submit(() -> {
                        try {
                            verifier.verifyAccess(forged);
                            statuses.add(200);
                        } catch (ApiException e) {
                            statuses.add(e.status());
                        }
                    });
                }
            }
            assertThat(statuses).hasSize(50).containsOnly(401);
            assertThat(auth.calls("jwks")).as("50 forged kids at once: one or two more fetches, not 50").isLessThanOrEqualTo(4);

            published.remove(previous); // retired
            Thread.sleep(1_100);
            String lateOld = TokenForge.rs256(TokenForge.access(shopper, "customer"), previous, "kid-unknown-" + previous.kid().substring(0, 8));
            assertThatThrownBy(() -> verifier.verifyAccess(lateOld)).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void kidsThatAreNotIdsAreRefusedWithoutAFetch() throws Exception {
        SigningKey key = SigningKey.generate();
        try (FakeNeighbour auth = new FakeNeighbour()
                .on("jwks", "GET", "/jwks", call -> FakeNeighbour.Answer.json(200,
                        dev.storefront.common.web.Json.write(Map.of("keys", List.of(key.publicJwk()))), Map.of()))
                .start()) {
            TokenVerifier verifier = TokenVerifier.remote(auth.url() + "/jwks");
            for (String kid : List.of("../../etc/passwd", "a b", "x".repeat(200), "")) {
                String token = TokenForge.rs256(TokenForge.access(UUID.randomUUID(), "customer"), key, kid);
                assertThatThrownBy(() -> verifier.verifyAccess(token)).isInstanceOf(ApiException.class);
            }
            assertThat(auth.calls("jwks")).isZero();
        }
    }

    @Test
    void aSigningKeySurvivesItsPemAndKeepsItsThumbprint() {
        SigningKey key = SigningKey.generate();
        SigningKey again = SigningKey.fromPem(key.toPem());
        assertThat(again.kid()).isEqualTo(key.kid()).hasSize(43);
        assertThat(SigningKey.fromPem(key.toPem().replace("\n", "\\n")).kid()).isEqualTo(key.kid());
        assertThat(key.publicJwk()).containsKeys("kty", "kid", "n", "e", "alg", "use").doesNotContainKeys("d", "p", "q");
        assertThatThrownBy(() -> SigningKey.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
