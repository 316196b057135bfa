package dev.storefront.common;

import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.storefront.common.security.Role;
import dev.storefront.common.security.TokenVerifier;
import dev.storefront.common.security.Tokens;
import dev.storefront.common.testing.TestKeys;
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
        // expired 28 s ago (29 at most: a JWT's exp is whole seconds): inside the 30 s clock skew for one to two
        // more seconds, however slowly the first verification runs on a busy machine
        Instant exp = Instant.now().minusSeconds(28);
        String almostGone = keys.sign(new JWTClaimsSet.Builder()
                .issuer(Tokens.ISSUER).audience(Tokens.AUDIENCE_API).subject(user.toString())
                .claim(Tokens.TYPE_CLAIM, Tokens.TYPE_ACCESS).claim(Tokens.ROLE_CLAIM, Role.CUSTOMER.claim())
                .issueTime(Date.from(exp.minusSeconds(900))).expirationTime(Date.from(exp))
                .jwtID(UUID.randomUUID().toString()).build());
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
