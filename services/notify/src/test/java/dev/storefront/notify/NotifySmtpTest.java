package dev.storefront.notify;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.storefront.common.db.Database;
import dev.storefront.common.events.CloudEvent;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Notify with a real SMTP server (GreenMail), real PostgreSQL and NATS, and a fake auth. */
class NotifySmtpTest {
    private static final AuthUsers AUTH = new AuthUsers();
    private static final int SMTP_PORT = freePort();
    private static GreenMail smtp = smtp(); // up before notify starts
    @RegisterExtension
    static final ServiceFixture<NotifyModule> NOTIFY = ServiceFixture.of("notify", NotifyModule::create)
            .neighbour(AUTH.fake, "auth")
            .set("storefront.mail.host", "127.0.0.1")
            .set("storefront.mail.port", String.valueOf(SMTP_PORT))
            .set("storefront.mail.from", "Storefront <shop@storefront.test>")
            .set("storefront.mail.timeout-ms", "2000")
            .set("storefront.mail.retry.base-ms", "200")
            .set("storefront.mail.retry.max-ms", "800")
            .set("storefront.mail.retry.poll-ms", "100");
    private static final TestHttp http = NOTIFY.http();


    @AfterAll
    static void stop() {
        smtp.stop();
    }

    private static GreenMail smtp() {
        GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"));
        mail.start();
        return mail;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address);
            } catch (Exception e) {
                return false;
            }
        }).toList();
    }

    private static String status(UUID userId) {
        return Database.one(NOTIFY.module().context().db().execute(), "SELECT status FROM notifications WHERE user_id = ?",
                r -> r.column(1).get(String.class), userId).orElse("none");
    }

    @Test
    void anOrderConfirmedEventDeliveredTwiceSendsExactlyOneMailWithTheOrderIdAndTotal() throws Exception {
        UUID userId = AUTH.user("Ada <Lovelace>", "ada-" + UUID.randomUUID() + "@example.test");
        String email = AUTH.email(userId);
        UUID orderId = UUID.randomUUID();
        CloudEvent confirmed = Events.order("storefront.order.confirmed", orderId, userId, "Widget <script>", new BigDecimal("39.9"));
        Events.publish(NOTIFY.module().context(), confirmed);
        Events.publish(NOTIFY.module().context(), confirmed);

        await().atMost(Duration.ofSeconds(15)).until(() -> mailsTo(email).size() == 1);
        Thread.sleep(1_000);
        assertThat(mailsTo(email)).hasSize(1);

        MimeMessage mail = mailsTo(email).getFirst();
        assertThat(mail.getSubject()).contains(orderId.toString());
        assertThat(mail.getFrom()[0].toString()).contains("shop@storefront.test");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains(orderId.toString()).contains("39.90 USD").contains("Widget <script>");
        assertThat(html).contains(orderId.toString()).contains("39.90").contains("Widget &lt;script&gt;")
                .contains("Ada &lt;Lovelace&gt;").doesNotContain("<script>");

        await().atMost(Duration.ofSeconds(5)).until(() -> status(userId).equals("SENT"));
        TestHttp.Reply list = http.get("/api/notifications", NOTIFY.shopper(userId));
        assertThat(list.data()).hasSize(1);
        assertThat(list.data().get(0).path("status").asText()).isEqualTo("SENT");
        assertThat(list.data().get(0).path("template").asText()).isEqualTo("order-confirmed");
        assertThat(list.data().get(0).path("sentAt").isNull()).isFalse();
    }

    @Test
    void whileTheSmtpServerIsDownTheMailIsRetriedThenSent() throws Exception {
        UUID userId = AUTH.user("Grace", "grace-" + UUID.randomUUID() + "@example.test");
        smtp.stop();
        try {
            Events.publish(NOTIFY.module().context(), Events.order("storefront.order.shipped", UUID.randomUUID(), userId, "Lamp", new BigDecimal("12.00")));
            await().atMost(Duration.ofSeconds(15)).until(() -> Database.one(NOTIFY.module().context().db().execute(),
                    "SELECT attempts FROM notifications WHERE user_id = ? AND status = 'PENDING' AND last_error IS NOT NULL",
                    r -> r.column(1).get(Integer.class), userId).orElse(0) >= 2);
        } finally {
            smtp = smtp();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> mailsTo(AUTH.email(userId)).size() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> status(userId).equals("SENT"));
    }

    @Test
    void lowStockGoesToEveryAdmin() {
        UUID productId = UUID.randomUUID();
        String first = "admin1-" + UUID.randomUUID() + "@example.test";
        String second = "admin2-" + UUID.randomUUID() + "@example.test";
        AUTH.admin("Admin One", first);
        AUTH.admin("Admin Two", second);
        CloudEvent low = CloudEvent.of("inventory", "storefront.inventory.low_stock",
                Map.of("productId", productId, "available", 2, "lowStockThreshold", 5));
        try {
            Events.publish(NOTIFY.module().context(), low);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> mailsTo(first).size() == 1 && mailsTo(second).size() == 1);
    }
}
