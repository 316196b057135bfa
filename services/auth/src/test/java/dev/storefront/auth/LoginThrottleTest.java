package dev.storefront.auth;

import java.util.Map;
import java.util.UUID;

import dev.storefront.common.testing.Accounts;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Brute force is slowed down: per email on login, per IP on register (default login limit, small register limit). */
class LoginThrottleTest {
    @RegisterExtension
    static final ServiceFixture<AuthModule> AUTH = AuthFixture.with(Map.of("storefront.auth.rate.register-per-ip", "4",
            "storefront.auth.client-ip-header", "X-Forwarded-For"));
    private static Accounts.Session victim;
    private static Accounts.Session bystander;

    @BeforeAll
    static void start() {
        victim = Accounts.newCustomer(AUTH.http(), "victim"); // two of the four registrations this IP may make
        bystander = Accounts.newCustomer(AUTH.http(), "bystander");
    }

    @Test
    void repeatedLoginFailuresForOneEmailAreThrottled() {
        // a success resets the count: only failures in a row count
        for (int i = 0; i < 4; i++) {
            assertThat(login(victim.email(), "wrong-" + i).status()).isEqualTo(401);
        }
        assertThat(login(victim.email(), "password-victim").status()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(login(victim.email(), "wrong-" + i).status()).isEqualTo(401);
        }
        // the sixth in a row is refused before the password is even checked, the right one too
        Reply throttled = login(victim.email().toUpperCase(), "password-victim");
        assertThat(throttled.status()).as(throttled.toString()).isEqualTo(429);
        assertThat(throttled.errorCode()).isEqualTo("RATE_LIMITED");
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isPositive();
        // nobody else is affected
        assertThat(login(bystander.email(), "password-bystander").status()).isEqualTo(200);
    }

    @Test
    void registrationsPerIpAreLimited() {
        int created = 0;
        Reply last = null;
        for (int i = 0; i < 6 && (last == null || last.status() != 429); i++) {
            last = AUTH.http().post("/api/auth/register", null, Accounts.registration("Bulk", "bulk-" + UUID.randomUUID() + "@example.com", "password1"));
            if (last.status() == 201) {
                created++;
            }
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.header("Retry-After")).isNotNull();
        assertThat(created).isLessThanOrEqualTo(2);

        // behind the ingress: the client is the last hop the proxy appended, not what the client claims
        Reply otherClient = AUTH.http().send("POST", "/api/auth/register", null,
                Accounts.registration("Behind", "behind-" + UUID.randomUUID() + "@example.com", "password1"),
                Map.of("X-Forwarded-For", "127.0.0.1, 203.0.113.5"));
        assertThat(otherClient.status()).as(otherClient.toString()).isEqualTo(201);
    }

    private static Reply login(String email, String password) {
        return AUTH.http().post("/api/auth/login", null, Map.of("email", email, "password", password));
    }
}
