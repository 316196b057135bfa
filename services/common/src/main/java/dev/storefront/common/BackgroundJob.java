package dev.storefront.common;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one shape of a service's background work (outbox relay, mail sender, reservation expiry, token
 * clean-up, saga recovery): rounds of work on a (daemon, platform) thread of its own, one round every
 * {@code interval} or as soon as {@link #wake()} is called, another at once while a round says more is
 * waiting, a growing pause after a failure. {@link #close()} lets the round in progress finish and, when
 * asked, runs rounds until nothing is left ({@link Builder#drainOnClose}): it never interrupts the
 * thread, because interrupting JDBC I/O breaks the pooled connection it runs on.
 */
public final class BackgroundJob implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(BackgroundJob.class.getName());

    /** One round of work; answers true when more is waiting, so the next round follows at once. */
    @FunctionalInterface
    public interface Round {
        boolean run() throws Exception;
    }

    private final String name;
    private final Round round;
    private final Duration interval;
    private final Duration firstRunAfter;
    private final Duration minRetry;
    private final Duration maxRetry;
    private final boolean drainOnClose;
    private final Duration stopTimeout;
    private final Semaphore wake = new Semaphore(0);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread thread; // guarded by this

    private BackgroundJob(Builder b) {
        this.name = b.name;
        this.round = b.round;
        this.interval = b.interval;
        this.firstRunAfter = b.firstRunAfter;
        this.minRetry = b.minRetry;
        this.maxRetry = b.maxRetry;
        this.drainOnClose = b.drainOnClose;
        this.stopTimeout = b.stopTimeout;
    }

    public static Builder builder(String name, Round round) {
        return new Builder(name, round);
    }

    public String name() {
        return name;
    }

    /** Starts the job's thread; a second call does nothing. */
    public synchronized BackgroundJob start() {
        if (thread == null && !stopping) {
            // a platform thread of its own: a job must not wait for a carrier thread behind thousands of
            // request threads (a flash sale) nor be stuck behind one pinned by a native call
            thread = Thread.ofPlatform().daemon().name("job-" + name).start(this::loop);
        }
        return this;
    }

    public synchronized boolean started() {
        return thread != null;
    }

    /** Asks for a round now (e.g. a commit appended a row); cheap, and a no-op while a wake-up is pending. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    private void loop() {
        try {
            if (!firstRunAfter.isZero()) {
                pause(firstRunAfter);
            }
            long failures = 0;
            while (!stopping) {
                boolean more;
                try {
                    more = round.run();
                    failures = 0;
                } catch (Exception e) {
                    failures++;
                    Duration retry = retryDelay(failures);
                    if (!stopping) {
                        LOG.log(Level.WARNING, "Job " + name + " failed (" + failures + " in a row), next round in "
                                + retry.toMillis() + " ms: " + e);
                    }
                    pause(retry);
                    continue;
                }
                if (!more) {
                    pause(interval);
                }
            }
            if (drainOnClose) {
                drain();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // nobody interrupts this thread; stop if the JVM does
        } finally {
            stopped.countDown();
        }
    }

    /** Rounds until none says more is waiting, within the stop timeout; a failure ends the drain. */
    private void drain() {
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        try {
            while (System.nanoTime() < deadline && round.run()) {
                // more was waiting
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Job " + name + " could not finish its work before stopping: " + e);
        }
    }

    /** Waits until woken, stopped or {@code duration} passed (zero: until woken or stopped). */
    private void pause(Duration duration) throws InterruptedException {
        if (duration.isZero()) {
            wake.acquire();
        } else {
            wake.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
        wake.drainPermits();
    }

    private Duration retryDelay(long failures) {
        long millis = minRetry.toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(maxRetry.toMillis(), Math.max(minRetry.toMillis(), millis)));
    }

    /**
     * Stops at a safe point: the round in progress finishes (and, with drain on close, the work left),
     * waiting at most the stop timeout; a round still running then is left to end by itself.
     */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            stopping = true;
            running = thread;
        }
        wake.release();
        if (running == null) {
            return;
        }
        try {
            if (!stopped.await(stopTimeout.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, "Job " + name + " is still in a round after " + stopTimeout.toMillis()
                        + " ms; stopping without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final String name;
        private final Round round;
        private Duration interval = Duration.ZERO;
        private Duration firstRunAfter = Duration.ZERO;
        private Duration minRetry = Duration.ofMillis(100);
        private Duration maxRetry;
        private boolean drainOnClose;
        private Duration stopTimeout = Duration.ofSeconds(5);

        private Builder(String name, Round round) {
            this.name = Objects.requireNonNull(name);
            this.round = Objects.requireNonNull(round);
        }

        /** Time between rounds when nothing wakes the job; zero (the default) runs rounds only when woken. */
        public Builder every(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Delay before the first round (default none: a round at start). */
        public Builder firstRunAfter(Duration delay) {
            this.firstRunAfter = delay;
            return this;
        }

        /** Pause after a failed round: {@code min}, doubling per failure in a row up to {@code max}. */
        public Builder retryAfter(Duration min, Duration max) {
            this.minRetry = min;
            this.maxRetry = max;
            return this;
        }

        /** On close, run rounds until none says more is waiting (the relay sends what is committed). */
        public Builder drainOnClose(boolean drain) {
            this.drainOnClose = drain;
            return this;
        }

        /** How long close waits for the round in progress and the drain (default 5 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = timeout;
            return this;
        }

        public BackgroundJob build() {
            if (maxRetry == null) {
                maxRetry = interval.isZero() ? Duration.ofSeconds(5) : interval;
            }
            return new BackgroundJob(this);
        }
    }
}
