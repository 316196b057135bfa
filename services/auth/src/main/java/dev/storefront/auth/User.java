package dev.storefront.auth;

import java.time.Instant;
import java.util.UUID;

/** A person as the API shows them (never the password hash). */
public record User(UUID id, String name, String email, String role, Instant createdAt) {
}
