package dev.storefront.common;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.ErrorCode;
import dev.storefront.common.web.RequestContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A call made in parallel carries the request's id and fails the way it would have inline. */
class RequestContextTest {
    @Test
    void aParallelCallSeesTheRequestIdAndItsFailureComesBackAsItWas() {
        AtomicReference<CompletableFuture<String>> seen = new AtomicReference<>();
        AtomicReference<CompletableFuture<Object>> failed = new AtomicReference<>();
        RequestContext.runWith("req-42", () -> {
            seen.set(RequestContext.inParallel(() -> RequestContext.requestId() + " on " + Thread.currentThread().getName()));
            failed.set(RequestContext.inParallel(() -> {
                throw ApiException.unavailable("inventory is unavailable");
            }));
        });

        assertThat(RequestContext.await(seen.get())).isEqualTo("req-42 on parallel-call");
        assertThatThrownBy(() -> RequestContext.await(failed.get()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DEPENDENCY_UNAVAILABLE));
    }
}
