package dev.storefront.auth;

import java.util.Map;

import dev.storefront.common.ServiceContext;
import dev.storefront.common.testing.ServiceFixture;

/** auth as Main builds it, against a test class's own databases and stream. */
final class AuthFixture {
    private AuthFixture() {
    }

    static ServiceFixture<AuthModule> with(Map<String, String> settings) {
        return ServiceFixture.of("auth", AuthModule::create)
                .set("storefront.auth.bcrypt-cost", "4") // fast hashes: the tests are about the flow, not bcrypt
                .settings(settings)
                // an ordinary context: auth must not depend on a verifier handed to it
                .context((env, name) -> ServiceContext.builder(name, env.config(name)).build());
    }
}
