package dev.storefront.auth;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** The JSON bodies auth accepts. Unknown fields are refused by the kit's mapper; text must be a JSON string. */
final class Requests {
    private Requests() {
    }

    record Register(@JsonDeserialize(using = StrictText.class) String name,
                    @JsonDeserialize(using = StrictText.class) String email,
                    @JsonDeserialize(using = StrictText.class) String password,
                    @JsonDeserialize(using = StrictText.class) String role) {
    }

    record Login(@JsonDeserialize(using = StrictText.class) String email,
                 @JsonDeserialize(using = StrictText.class) String password) {
    }

    /** The body of refresh and logout. */
    record RefreshToken(@JsonDeserialize(using = StrictText.class) String refreshToken) {
    }

    /** Absent fields stay as they are; {@code preferences} replaces the whole map when present. */
    record ProfileUpdate(@JsonDeserialize(using = StrictText.class) String name,
                         @JsonDeserialize(using = StrictText.class) String phone,
                         Map<String, Object> preferences) {
    }

    record AddressInput(@JsonDeserialize(using = StrictText.class) String fullName,
                        @JsonDeserialize(using = StrictText.class) String line1,
                        @JsonDeserialize(using = StrictText.class) String line2,
                        @JsonDeserialize(using = StrictText.class) String city,
                        @JsonDeserialize(using = StrictText.class) String region,
                        @JsonDeserialize(using = StrictText.class) String postalCode,
                        @JsonDeserialize(using = StrictText.class) String country,
                        @JsonDeserialize(using = StrictText.class) String phone,
                        @JsonProperty("isDefault") Boolean isDefault) {
    }

    record ClientCredentials(@JsonDeserialize(using = StrictText.class) String clientId,
                             @JsonDeserialize(using = StrictText.class) String clientSecret) {
    }
}
