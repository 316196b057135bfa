package dev.storefront.common.security;

/** Names shared by the token issuer (auth) and every verifier. */
public final class Tokens {
    public static final String ISSUER = "storefront-auth";
    public static final String AUDIENCE_API = "storefront";
    public static final String AUDIENCE_INTERNAL = "storefront-internal";
    public static final String TYPE_CLAIM = "typ";
    public static final String TYPE_ACCESS = "access";
    public static final String TYPE_SERVICE = "service";
    public static final String ROLE_CLAIM = "role";
    public static final String EMAIL_CLAIM = "email";
    public static final String NAME_CLAIM = "name";
    public static final String SERVICE_SUBJECT_PREFIX = "service:";

    private Tokens() {
    }
}
