package dev.storefront.order;

import java.util.UUID;

import dev.storefront.common.web.Validator;

/** Where the order goes: auth's Address resource as checkout passes it (id and isDefault optional). */
public record ShippingAddress(UUID id, String fullName, String line1, String line2, String city, String region,
                              String postalCode, String country, String phone, Boolean isDefault) {

    void validate(Validator v, String prefix) {
        v.requiredText(prefix + ".fullName", fullName, 200)
                .requiredText(prefix + ".line1", line1, 200)
                .text(prefix + ".line2", line2, 200)
                .requiredText(prefix + ".city", city, 100)
                .text(prefix + ".region", region, 100)
                .text(prefix + ".postalCode", postalCode, 20)
                .requiredText(prefix + ".country", country, 100)
                .text(prefix + ".phone", phone, 40);
    }
}
