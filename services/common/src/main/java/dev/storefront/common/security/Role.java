package dev.storefront.common.security;

import java.util.Locale;

/** Who a caller is. SERVICE is another Storefront service, never a person. */
public enum Role {
    CUSTOMER, VENDOR, ADMIN, SERVICE;

    public String claim() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromClaim(String claim) {
        if (claim == null) {
            throw new IllegalArgumentException("no role");
        }
        return Role.valueOf(claim.toUpperCase(Locale.ROOT));
    }
}
