package dev.storefront.auth;

import java.util.Map;
import java.util.UUID;

/** A user's own settings: contact phone and free-form preferences (language, newsletter, …). */
public record Profile(UUID userId, String name, String email, String phone, Map<String, Object> preferences) {
}
