package dev.storefront.notify;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import dev.storefront.common.testing.TestHttp.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Notify without SMTP (the local default): mail is recorded and listed, never sent. */
class NotifyRecordedTest {
    private static final AuthUsers AUTH = new AuthUsers();
    @RegisterExtension
    static final ServiceFixture<NotifyModule> NOTIFY = ServiceFixture.of("notify", NotifyModule::create)
            .neighbour(AUTH.fake, "auth");
    private static final TestHttp http = NOTIFY.http();
    private static final String service = NOTIFY.service("order");


    @Test
    void withoutSmtpMailsAreRecordedAndListedToTheirOwnerOnly() throws Exception {
        UUID ada = AUTH.user("Ada", "ada-" + UUID.randomUUID() + "@example.test");
        UUID other = AUTH.user("Bob", "bob-" + UUID.randomUUID() + "@example.test");
        String adaToken = NOTIFY.shopper(ada);

        Events.publish(NOTIFY.module().context(), CloudEvent.of("auth", "storefront.user.registered",
                Map.of("userId", ada, "email", AUTH.email(ada), "name", "Ada", "role", "customer")));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/notifications", adaToken).data().size() == 1);
        UUID orderId = UUID.randomUUID();
        Events.publish(NOTIFY.module().context(), Events.order("storefront.order.confirmed", orderId, ada, "Kettle", new BigDecimal("25.50")));
        Events.publish(NOTIFY.module().context(), Events.order("storefront.order.confirmed", UUID.randomUUID(), other, "Mug", new BigDecimal("5")));
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/notifications", adaToken).data().size() == 2);

        Reply list = http.get("/api/notifications", adaToken);
        assertThat(list.body().path("pagination").path("total").asLong()).isEqualTo(2);
        assertThat(list.data().get(0).path("template").asText()).isEqualTo("order-confirmed"); // newest first
        assertThat(list.data().get(0).path("status").asText()).isEqualTo("RECORDED");
        assertThat(list.data().get(0).path("body").asText()).contains(orderId.toString()).contains("25.50 USD");
        assertThat(list.data().get(1).path("template").asText()).isEqualTo("welcome");
        assertThat(list.data().toString()).doesNotContain("Mug");

        Reply firstPage = http.get("/api/notifications?limit=1", adaToken);
        assertThat(firstPage.data()).hasSize(1);
        assertThat(firstPage.body().path("pagination").path("total").asLong()).isEqualTo(2);
        assertThat(http.get("/api/notifications?limit=0", adaToken).status()).isEqualTo(400);

        UUID stranger = UUID.randomUUID();
        assertThat(http.get("/api/notifications", NOTIFY.shopper(stranger)).data()).isEmpty();
        assertThat(http.get("/api/notifications", null).status()).isEqualTo(401);
        assertThat(http.get("/api/notifications", service).status()).isEqualTo(401);
    }

    @Test
    void internalNotifyRendersEscapesAndRecords() {
        UUID ada = AUTH.user("Ada", "ada-" + UUID.randomUUID() + "@example.test");
        Reply sent = http.post("/internal/notify", service, Map.of("userId", ada, "template", "message",
                "subject", "Hello\r\nBcc: evil@example.test", "data", Map.of("message", "<b>hi</b>")));
        assertThat(sent.status()).as(sent.toString()).isEqualTo(201);
        assertThat(sent.data().path("status").asText()).isEqualTo("RECORDED");
        assertThat(sent.data().path("subject").asText()).doesNotContain("\n").doesNotContain("\r");
        assertThat(sent.data().path("body").asText()).contains("<b>hi</b>");
        String html = Database.one(NOTIFY.module().context().db().execute(), "SELECT body_html FROM notifications WHERE id = ?",
                r -> r.column(1).get(String.class), UUID.fromString(sent.data().path("id").asText())).orElseThrow();
        assertThat(html).contains("&lt;b&gt;hi&lt;/b&gt;");

        Reply byEmail = http.post("/internal/notify", service, Map.of("email", "someone@example.test", "template", "welcome",
                "data", Map.of("name", "Someone")));
        assertThat(byEmail.status()).isEqualTo(201);
        assertThat(byEmail.data().path("subject").asText()).isEqualTo("Welcome to Storefront, Someone");

        assertThat(http.post("/internal/notify", service, Map.of("userId", ada, "template", "nope")).firstErrorField())
                .isEqualTo("template");
        assertThat(http.post("/internal/notify", service, Map.of("template", "welcome")).firstErrorField()).isEqualTo("email");
        assertThat(http.post("/internal/notify", service, Map.of("userId", UUID.randomUUID(), "template", "welcome"))
                .firstErrorField()).isEqualTo("userId");
        assertThat(http.post("/internal/notify", service, Map.of("userId", ada, "template", "welcome", "bcc", "x"))
                .firstErrorField()).isEqualTo("bcc");
    }

    @Test
    void internalNotifyTakesOnlyServiceTokens() {
        Map<String, Object> body = Map.of("email", "x@example.test", "template", "welcome");
        assertThat(http.post("/internal/notify", NOTIFY.admin(), body).status()).isEqualTo(403);
        assertThat(http.post("/internal/notify", null, body).status()).isEqualTo(401);
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(NOTIFY.module());
    }
}
