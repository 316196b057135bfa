package dev.storefront.common;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kit's one shape of background work: rounds, wake-ups, back-off, and a stop that never interrupts. */
class BackgroundJobTest {

    @Test
    void aJobWithoutIntervalRunsOnceAtStartThenOnlyWhenWoken() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        try (BackgroundJob job = BackgroundJob.builder("woken", () -> {
            rounds.incrementAndGet();
            return false;
        }).build().start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 1);
            Thread.sleep(300);
            assertThat(rounds).hasValue(1); // idle: no polling
            job.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
        }
    }

    @Test
    void aRoundThatSaysMoreIsWaitingIsFollowedAtOnceAndAnIntervalRunsTheNext() {
        AtomicInteger rounds = new AtomicInteger();
        try (BackgroundJob job = BackgroundJob.builder("batches", () -> rounds.incrementAndGet() < 5)
                .every(Duration.ofMillis(200)).build().start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() >= 5);
            int afterBatches = rounds.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() > afterBatches); // the interval's round
            assertThat(job.started()).isTrue();
        }
    }

    @Test
    void aFailedRoundIsRetriedAfterAGrowingPause() {
        AtomicInteger rounds = new AtomicInteger();
        long started = System.nanoTime();
        try (BackgroundJob job = BackgroundJob.builder("failing", () -> {
            if (rounds.incrementAndGet() < 3) {
                throw new IllegalStateException("database unavailable");
            }
            return false;
        }).retryAfter(Duration.ofMillis(100), Duration.ofSeconds(1)).build().start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 3);
        }
        // 100 ms after the first failure, 200 ms after the second
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void closeLetsTheRoundInProgressFinishWithoutInterruptingIt() throws Exception {
        CountDownLatch inRound = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean finished = new AtomicBoolean();
        BackgroundJob job = BackgroundJob.builder("slow", () -> {
            inRound.countDown();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < end) { // busy, as a thread inside JDBC I/O would be
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.set(true);
                }
            }
            finished.set(true);
            return false;
        }).build().start();
        assertThat(inRound.await(5, TimeUnit.SECONDS)).isTrue();
        job.close();
        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void drainOnCloseRunsRoundsUntilNothingIsLeft() throws Exception {
        AtomicInteger left = new AtomicInteger();
        CountDownLatch firstRound = new CountDownLatch(1);
        BackgroundJob job = BackgroundJob.builder("relay", () -> {
            firstRound.countDown();
            if (left.get() == 0) {
                return false;
            }
            left.decrementAndGet(); // one "batch" sent
            return left.get() > 0;
        }).drainOnClose(true).build().start();
        assertThat(firstRound.await(5, TimeUnit.SECONDS)).isTrue();
        left.set(7); // committed after the last round, and nobody woke the job
        job.close();
        assertThat(left).hasValue(0);
    }

    @Test
    void aJobNeverStartedClosesAtOnceAndCannotStartAfterwards() {
        AtomicInteger rounds = new AtomicInteger();
        BackgroundJob job = BackgroundJob.builder("never", () -> rounds.incrementAndGet() < 0).build();
        job.close();
        job.start();
        assertThat(job.started()).isFalse();
        assertThat(rounds).hasValue(0);
    }
}
