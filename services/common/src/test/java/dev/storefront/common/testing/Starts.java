package dev.storefront.common.testing;

import java.util.function.Supplier;

/**
 * The one lock for starting Helidon servers in tests. Helidon 4.1's metrics set-up is not safe when
 * two servers are built at once in one JVM, and test classes run in parallel: every server a test
 * starts (a service through {@link ServiceFixture}, a {@link FakeNeighbour}) is built under this lock.
 * ({@code ServiceServer} also takes its own lock in main code, for the launcher.)
 */
final class Starts {
    private static final Object LOCK = new Object();

    private Starts() {
    }

    static <T> T serially(Supplier<T> start) {
        synchronized (LOCK) {
            return start.get();
        }
    }
}
