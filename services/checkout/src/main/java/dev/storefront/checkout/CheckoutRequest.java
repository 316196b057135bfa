package dev.storefront.checkout;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.storefront.common.web.Json;
import dev.storefront.common.web.Validator;

/** The body of POST /api/checkout: a shipping address or a saved address id, and a payment method. */
record CheckoutRequest(ShippingAddress shippingAddress, UUID addressId, String paymentMethod) {
    /** Payment method ids look like Stripe's (pm_card_visa, pm_1Nx…). */
    private static final Pattern PAYMENT_METHOD = Pattern.compile("^[A-Za-z0-9_]{1,255}$");

    void validate() {
        Validator v = new Validator();
        if (shippingAddress == null && addressId == null) {
            v.add("shippingAddress", "shippingAddress or addressId is required");
        } else if (shippingAddress != null && addressId != null) {
            v.add("addressId", "give either shippingAddress or addressId, not both");
        } else if (shippingAddress != null) {
            shippingAddress.validate(v, "shippingAddress.");
        }
        v.required("paymentMethod", paymentMethod);
        if (paymentMethod != null && !paymentMethod.isBlank() && !PAYMENT_METHOD.matcher(paymentMethod).matches()) {
            v.add("paymentMethod", "must be a payment method id such as pm_card_visa");
        }
        v.throwIfInvalid();
    }

    /** SHA-256 of the request as parsed, so spacing and field order do not make two bodies differ. */
    String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(this).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
