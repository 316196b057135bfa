package dev.storefront.common;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.security.Role;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.testing.TestKeys;
import dev.storefront.common.testing.TokenForge;
import dev.storefront.common.web.ApiException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Remembering verified tokens changes how fast, never what is accepted. */
class TokenVerifierTest {
    private final TestKeys keys = TestKeys.shared();
    private final TokenVerifier verifier = keys.verifier();

    @Test
    void aRememberedTokenStillExpiresAndNeverCrossesFromServiceToAccess() throws Exception {
        UUID user = UUID.randomUUID();
        verifier.verifyAccess(keys.accessToken(user, Role.CUSTOMER)); // class loading, before the clock starts
        // expired 28 s ago (29 at most: a JWT's exp is whole seconds): inside the 30 s clock skew for one to two
        // more seconds, however slowly the first verification runs on a busy machine
        Instant exp = Instant.now().minusSeconds(28);
        Map<String, Object> claims = TokenForge.access(user, Role.CUSTOMER.claim());
        claims.remove("nbf");
        claims.put("iat", exp.minusSeconds(900).getEpochSecond());
        claims.put("exp", exp.getEpochSecond());
        String almostGone = keys.sign(claims);
        assertThat(verifier.verifyAccess(almostGone).userId()).isEqualTo(user);
        assertThat(verifier.verifyAccess(almostGone).userId()).isEqualTo(user); // remembered
        Thread.sleep(2_200);
        assertThatThrownBy(() -> verifier.verifyAccess(almostGone)).isInstanceOf(ApiException.class);

        String service = keys.serviceToken("order");
        assertThat(verifier.verifyService(service).role()).isEqualTo(Role.SERVICE);
        assertThatThrownBy(() -> verifier.verifyAccess(service)).isInstanceOf(ApiException.class);
        String access = keys.accessToken(user, Role.ADMIN);
        assertThat(verifier.verifyAccess(access).role()).isEqualTo(Role.ADMIN);
        assertThatThrownBy(() -> verifier.verifyService(access)).isInstanceOf(ApiException.class);
    }
}
