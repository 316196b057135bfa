package dev.storefront.notify;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.helidon.config.Config;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

/**
 * SMTP through Jakarta Mail (Angus). Config {@code storefront.mail.*}: host (none = record only),
 * port (25), from, username, password, starttls (alias tls), ssl, timeout-ms.
 */
public final class Mailer {
    private final String host;
    private final String from;
    private final String username;
    private final String password;
    private final Session session;

    public Mailer(Config mail) {
        this.host = mail.get("host").asString().filter(h -> !h.isBlank()).orElse(null);
        this.from = mail.get("from").asString().orElse("Storefront <no-reply@storefront.local>");
        this.username = mail.get("username").asString().filter(u -> !u.isBlank()).orElse(null);
        this.password = mail.get("password").asString().orElse("");
        boolean starttls = mail.get("starttls").asBoolean().or(() -> mail.get("tls").asBoolean().asOptional()).orElse(false);
        String timeout = String.valueOf(mail.get("timeout-ms").asInt().orElse(10_000));
        Properties props = new Properties();
        if (host != null) {
            props.put("mail.smtp.host", host);
        }
        props.put("mail.smtp.port", String.valueOf(mail.get("port").asInt().orElse(25)));
        props.put("mail.smtp.connectiontimeout", timeout);
        props.put("mail.smtp.timeout", timeout);
        props.put("mail.smtp.writetimeout", timeout);
        props.put("mail.smtp.auth", String.valueOf(username != null));
        props.put("mail.smtp.starttls.enable", String.valueOf(starttls));
        props.put("mail.smtp.starttls.required", String.valueOf(starttls));
        props.put("mail.smtp.ssl.enable", String.valueOf(mail.get("ssl").asBoolean().orElse(false)));
        this.session = Session.getInstance(props);
    }

    /** False when no SMTP host is configured: mail is then recorded, not sent. */
    public boolean configured() {
        return host != null;
    }

    /** Hands one mail to the SMTP server; returns once the server accepted it. */
    public void send(String to, Templates.Rendered mail, String notificationId) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from, true));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(mail.text(), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
        message.setContent(new MimeMultipart("alternative", text, html));
        message.setHeader("X-Storefront-Notification", notificationId);
        if (username != null) {
            Transport.send(message, username, password);
        } else {
            Transport.send(message);
        }
    }
}
