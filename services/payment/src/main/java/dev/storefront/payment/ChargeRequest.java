package dev.storefront.payment;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.common.web.Validator;

/** Body of POST /internal/payments/charge. */
public record ChargeRequest(UUID orderId, UUID userId, BigDecimal amount, String currency, String paymentMethod) {
    private static final Pattern PAYMENT_METHOD = Pattern.compile("^pm_[A-Za-z0-9_]{1,120}$");
    /** 12 to 19 digits, maybe grouped by spaces or dashes: what a card number looks like. */
    private static final Pattern CARD_NUMBER = Pattern.compile("(?:\\d[ -]?){12,19}");

    /** Checks every field; never echoes the payment method back (it might be a card number). */
    public void validate() {
        Validator v = new Validator()
                .required("orderId", orderId)
                .required("userId", userId)
                .required("amount", amount)
                .required("currency", currency)
                .required("paymentMethod", paymentMethod)
                .currency("currency", currency);
        if (amount != null) {
            v.check(amount.signum() > 0, "amount", "must be greater than 0").money("amount", amount);
        }
        if (amount != null && currency != null && v.ok("currency") && v.ok("amount")) {
            try {
                int digits = Currency.getInstance(currency).getDefaultFractionDigits();
                v.check(digits < 0 || amount.stripTrailingZeros().scale() <= digits, "amount",
                        "must have at most " + digits + " decimals in " + currency);
            } catch (IllegalArgumentException e) {
                v.add("currency", "is not a known ISO 4217 currency");
            }
        }
        if (paymentMethod != null && !paymentMethod.isBlank()) {
            if (CARD_NUMBER.matcher(paymentMethod).find()) {
                v.add("paymentMethod", "must be a payment method id such as pm_card_visa; card numbers are never accepted");
            } else if (!PAYMENT_METHOD.matcher(paymentMethod).matches()) {
                v.add("paymentMethod", "must be a payment method id such as pm_card_visa");
            }
        }
        v.throwIfInvalid();
    }

    /** Whether a retried request asks for the same charge as the stored one. */
    boolean sameTermsAs(Payment p) {
        return p.userId().equals(userId) && p.amount().compareTo(amount) == 0 && p.currency().equals(currency)
                && p.paymentMethod().equals(paymentMethod);
    }
}
