package dev.storefront.common.security;

import java.util.UUID;

import dev.storefront.common.web.ApiException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling and may they: the checks every route starts with. Public routes accept only
 * access tokens; /internal routes only service tokens, so a shopper's token never opens them.
 */
public final class Authz {
    private final TokenVerifier verifier;

    public Authz(TokenVerifier verifier) {
        this.verifier = verifier;
    }

    public TokenVerifier verifier() {
        return verifier;
    }

    public Principal user(ServerRequest req) {
        Principal p = verifier.verifyAccess(bearer(req));
        dev.storefront.common.web.AccessLog.caller(req, p);
        return p;
    }

    public java.util.Optional<Principal> optionalUser(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.AUTHORIZATION)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(user(req));
    }

    public Principal role(ServerRequest req, Role... allowed) {
        Principal p = user(req);
        for (Role r : allowed) {
            if (p.role() == r) {
                return p;
            }
        }
        throw ApiException.forbidden("This action needs role " + java.util.Arrays.toString(allowed).toLowerCase());
    }

    public Principal admin(ServerRequest req) {
        return role(req, Role.ADMIN);
    }

    public Principal service(ServerRequest req) {
        String token = bearer(req);
        try {
            Principal p = verifier.verifyService(token);
            dev.storefront.common.web.AccessLog.caller(req, p);
            return p;
        } catch (ApiException e) {
            if (e.status() == 401) {
                // a valid shopper token on an internal route: authenticated but not allowed
                try {
                    verifier.verifyAccess(token);
                    throw ApiException.forbidden("A service token is required");
                } catch (ApiException inner) {
                    if (inner.status() == 403) {
                        throw inner;
                    }
                }
            }
            throw e;
        }
    }

    /** 404 (not 403) for another's record: do not reveal that it exists. */
    public static void ownedOrNotFound(Principal p, UUID ownerId, String what) {
        if (!p.ownsOrAdmin(ownerId)) {
            throw ApiException.notFound(what);
        }
    }

    static String bearer(ServerRequest req) {
        var values = req.headers().contains(HeaderNames.AUTHORIZATION)
                ? req.headers().get(HeaderNames.AUTHORIZATION).allValues() : java.util.List.<String>of();
        if (values.isEmpty()) {
            throw ApiException.unauthenticated("Missing bearer token");
        }
        if (values.size() > 1) {
            throw ApiException.badRequest("Only one Authorization header is allowed");
        }
        String value = values.getFirst();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthenticated("Missing bearer token");
        }
        return value.substring(7).trim();
    }
}
