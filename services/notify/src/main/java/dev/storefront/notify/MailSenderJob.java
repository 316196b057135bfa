package dev.storefront.notify;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.tracing.Tracing;
import io.helidon.config.Config;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Sends PENDING notifications: claims due rows, hands each to SMTP, marks it SENT once the server
 * accepted it, and otherwise retries with exponential back-off up to {@code max-attempts}, then
 * FAILED. Config {@code storefront.mail.retry.*}: base-ms, max-ms, max-attempts, poll-ms, lease-ms.
 */
public final class MailSenderJob {
    private static final System.Logger LOG = System.getLogger(MailSenderJob.class.getName());
    private static final int BATCH = 20;

    private final NotifyRepository repo;
    private final Mailer mailer;
    private final Duration base;
    private final Duration max;
    private final int maxAttempts;
    private final Duration poll;
    private final Duration lease;
    private final BackgroundJob job;

    public MailSenderJob(NotifyRepository repo, Mailer mailer, Config retry) {
        this.repo = repo;
        this.mailer = mailer;
        this.base = Duration.ofMillis(retry.get("base-ms").asLong().orElse(2_000L));
        this.max = Duration.ofMillis(retry.get("max-ms").asLong().orElse(600_000L));
        this.maxAttempts = retry.get("max-attempts").asInt().orElse(10);
        this.poll = Duration.ofMillis(retry.get("poll-ms").asLong().orElse(1_000L));
        this.lease = Duration.ofMillis(retry.get("lease-ms").asLong().orElse(120_000L));
        this.job = BackgroundJob.builder("mail-sender", () -> mailer.configured() && sendDue() == BATCH)
                .every(mailer.configured() ? poll : Duration.ZERO)
                .retryAfter(poll, poll)
                .build();
    }

    /** The job: rounds only when SMTP is configured (otherwise mail is RECORDED and nothing is ever PENDING). */
    public BackgroundJob job() {
        return job;
    }

    public void wake() {
        job.wake();
    }

    /** Sends one batch of due notifications; returns how many it tried. */
    public int sendDue() {
        List<NotifyRepository.Outgoing> due = repo.claimDue(BATCH, lease);
        for (NotifyRepository.Outgoing mail : due) {
            // the SMTP hand-over is a client span in the trace of the event that made the mail
            try (Tracing.Traced span = Tracing.start("notify", "smtp send", SpanKind.CLIENT, Tracing.fromTraceparent(mail.traceparent()))) {
                span.attribute("storefront.notification.id", mail.id().toString()).attribute("storefront.mail.attempt", mail.attempts());
                try {
                    mailer.send(mail.recipient(), mail.mail(), mail.id().toString());
                } catch (Exception e) {
                    span.fail(e);
                    throw e;
                }
                repo.markSent(mail.id());
            } catch (Exception e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                Duration delay = mail.attempts() >= maxAttempts ? null : backoff(mail.attempts());
                LOG.log(Level.WARNING, "Mail " + mail.id() + " attempt " + mail.attempts() + " failed"
                        + (delay == null ? ", giving up: " : ", retrying in " + delay.toMillis() + " ms: ") + error);
                repo.markAttemptFailed(mail.id(), error.length() > 500 ? error.substring(0, 500) : error, delay);
            }
        }
        return due.size();
    }

    private Duration backoff(int attempts) {
        long millis = base.toMillis() << Math.min(attempts - 1, 20);
        return Duration.ofMillis(Math.min(max.toMillis(), millis));
    }
}
