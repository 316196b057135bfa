package dev.storefront.common;

import java.math.BigDecimal;

import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ValidationTest {
    @Test
    void collectsEveryWrongField() {
        ApiException e = catchThrowableOfType(ApiException.class, () -> new Validator()
                .required("name", " ")
                .email("email", "not-an-email")
                .money("price", new BigDecimal("1.999"))
                .money("cost", new BigDecimal("-1"))
                .range("quantity", 100, 1, 99)
                .text("note", "bad\u0000char", 100)
                .throwIfInvalid());
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.details()).extracting(d -> d.field())
                .containsExactly("name", "email", "price", "cost", "quantity", "note");
    }

    @Test
    void acceptsGoodInput() {
        new Validator().required("name", "Ann").email("email", "ann@example.com")
                .money("price", new BigDecimal("19.90")).range("quantity", 5, 1, 99).throwIfInvalid();
    }
}
