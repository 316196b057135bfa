package dev.storefront.auth;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A postal address of one user; at most one of a user's addresses is the default. */
public record Address(UUID id, String fullName, String line1, String line2, String city, String region,
                      String postalCode, String country, String phone,
                      @JsonProperty("isDefault") boolean isDefault) {
}
