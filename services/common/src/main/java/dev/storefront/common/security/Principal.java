package dev.storefront.common.security;

import java.util.UUID;

/** The verified caller of a request. {@code userId} is null for a service. */
public record Principal(UUID userId, String subject, String email, String name, Role role) {
    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    public boolean isService() {
        return role == Role.SERVICE;
    }

    /** True when the caller owns the record or is an admin. */
    public boolean ownsOrAdmin(UUID ownerId) {
        return isAdmin() || (userId != null && userId.equals(ownerId));
    }
}
