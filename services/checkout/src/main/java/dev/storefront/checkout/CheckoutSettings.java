package dev.storefront.checkout;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Tuning under {@code storefront.checkout}.
 *
 * @param stuckAfter      the lease a runner holds, renewed at every recorded step: a saga whose lease ran out
 *                        is stuck and recovery takes it over. Must exceed one service call with its retries.
 * @param recoveryEvery   how often recovery looks for stuck sagas (it also runs at start-up)
 * @param resumeWithin    a saga older than this is no longer pushed forward before the charge: it is undone
 * @param reservationTtl  how long inventory holds the stock for an order (longer than resumeWithin)
 * @param waitForRunning  how long a repeated request waits for the saga another request is running
 * @param perMinute       checkouts a user may start per minute
 * @param maxRunning      sagas this instance runs at once (new checkouts beyond it wait for a slot)
 * @param admissionWait   how long a new checkout waits for a slot before it is answered 429
 */
record CheckoutSettings(Duration stuckAfter, Duration recoveryEvery, Duration resumeWithin, Duration reservationTtl,
                        Duration waitForRunning, int perMinute, int maxRunning, Duration admissionWait) {

    static CheckoutSettings from(Config config) {
        Config c = config.get("storefront.checkout");
        return new CheckoutSettings(
                Duration.ofSeconds(c.get("stuck-after-seconds").asLong().orElse(30L)),
                Duration.ofSeconds(c.get("recovery-interval-seconds").asLong().orElse(10L)),
                Duration.ofSeconds(c.get("resume-within-seconds").asLong().orElse(600L)),
                Duration.ofSeconds(c.get("reservation-ttl-seconds").asLong().orElse(1200L)),
                Duration.ofSeconds(c.get("wait-seconds").asLong().orElse(20L)),
                c.get("rate-limit-per-minute").asInt().orElse(20),
                Math.max(1, c.get("max-running").asInt().orElse(16)),
                Duration.ofMillis(c.get("admission-wait-ms").asLong().orElse(6_000L)));
    }
}
