package dev.storefront.notify;

import java.time.Instant;
import java.util.UUID;

/** A notification as the API shows it. */
public record Notification(UUID id, UUID userId, String channel, String template, String subject, String body,
                           Status status, int attempts, Instant createdAt, Instant sentAt) {

    public enum Status {
        PENDING, SENT, FAILED, RECORDED
    }
}
