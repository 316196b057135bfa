package dev.storefront.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.storefront.common.security.Authz;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.RateLimiter;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** /api/auth: register, login, refresh, logout, me, the public keys, and (admins) a signing-key rotation. */
final class AuthService implements HttpService {
    private static final Set<String> SELF_SERVICE_ROLES = Set.of("customer", "vendor");
    private static final String BAD_CREDENTIALS = "Invalid email or password";

    private final AuthRepository repo;
    private final TokenIssuer tokens;
    private final KeyRing keys;
    private final Passwords passwords;
    private final Authz authz;
    private final AuthSettings settings;
    /** Consecutive login attempts per email: a success resets it, so it counts failures in a row. */
    private final RateLimiter loginPerEmail;
    private final RateLimiter loginPerIp;
    private final RateLimiter registerPerIp;

    AuthService(AuthRepository repo, TokenIssuer tokens, KeyRing keys, Passwords passwords, Authz authz, AuthSettings settings) {
        this.repo = repo;
        this.tokens = tokens;
        this.keys = keys;
        this.passwords = passwords;
        this.authz = authz;
        this.settings = settings;
        this.loginPerEmail = new RateLimiter(settings.loginAttemptsPerEmail(), settings.loginEmailWindow());
        this.loginPerIp = new RateLimiter(settings.loginAttemptsPerIp(), settings.loginIpWindow());
        this.registerPerIp = new RateLimiter(settings.registrationsPerIp(), settings.registrationIpWindow());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/register", this::register)
                .post("/login", this::login)
                .post("/refresh", this::refresh)
                .post("/logout", this::logout)
                .get("/me", this::me)
                .get("/.well-known/jwks.json", this::jwks)
                .post("/signing-keys/rotate", this::rotateSigningKey);
    }

    private void register(ServerRequest req, ServerResponse res) {
        registerPerIp.acquire(clientIp(req, settings));
        Requests.Register body = Bodies.read(req, Requests.Register.class);
        Validator v = new Validator()
                .requiredText("name", body.name(), 100)
                .text("email", body.email(), 254); // on the raw value: trimming would hide control characters
        if (v.ok("email")) {
            v.email("email", strip(body.email()));
        }
        password(v, body.password());
        String role = body.role() == null ? "customer" : body.role();
        // nobody makes themselves admin (or service): the first admin comes from configuration
        v.oneOf("role", role, SELF_SERVICE_ROLES).throwIfInvalid();
        User user = repo.register(body.name().strip(), strip(body.email()), passwords.hash(body.password()), Role.fromClaim(role));
        Responses.created(res, user);
    }

    private void login(ServerRequest req, ServerResponse res) {
        loginPerIp.acquire(clientIp(req, settings));
        Requests.Login body = Bodies.read(req, Requests.Login.class);
        new Validator().required("email", body.email()).text("email", body.email(), 254)
                .required("password", body.password()).text("password", body.password(), 200)
                .throwIfInvalid();
        String email = body.email().strip().toLowerCase(Locale.ROOT);
        loginPerEmail.acquire(email);
        var credentials = repo.credentials(email);
        // the hash check runs even for an unknown email, so timing does not tell which part was wrong
        if (!passwords.matches(body.password(), credentials.map(AuthRepository.Credentials::passwordHash).orElse(null))) {
            throw ApiException.unauthenticated(BAD_CREDENTIALS);
        }
        loginPerEmail.reset(email);
        User user = credentials.get().user();
        String refreshToken = TokenIssuer.newRefreshToken();
        repo.startSession(user.id(), TokenIssuer.hash(refreshToken), Instant.now().plus(settings.refreshTokenTtl()));
        Responses.ok(res, session(user, refreshToken));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        loginPerIp.acquire(clientIp(req, settings));
        String presented = refreshToken(req);
        String presentedHash = TokenIssuer.hash(presented);
        String next = TokenIssuer.newRefreshToken();
        var user = repo.rotate(presentedHash, TokenIssuer.hash(next), Instant.now().plus(settings.refreshTokenTtl()));
        if (user.isEmpty()) {
            repo.revokeFamilyIfSpent(presentedHash);
            throw ApiException.unauthenticated("Invalid or expired refresh token");
        }
        Responses.ok(res, session(user.get(), next));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        String presented = refreshToken(req);
        repo.revokeFamily(TokenIssuer.hash(presented));
        // same answer whether the token was live, spent or unknown: logout is idempotent
        Responses.ok(res, Map.of("loggedOut", true));
    }

    private void me(ServerRequest req, ServerResponse res) {
        Principal p = authz.user(req);
        Responses.ok(res, repo.user(p.userId()).orElseThrow(() -> ApiException.unauthenticated("Unknown user")));
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        // plain JWKS, not the envelope: this is what JWT libraries fetch
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        Responses.send(res, 200, keys.jwks());
    }

    /**
     * A new signing key for runs without the operator (which rotates through the Secret): published at
     * once, signing after the activation delay; the current key verifies until its tokens expired.
     */
    private void rotateSigningKey(ServerRequest req, ServerResponse res) {
        authz.admin(req);
        KeyRing.Rotation r = keys.rotate();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kid", r.kid());
        body.put("activatesAt", r.activatesAt());
        body.put("previousKid", r.previousKid());
        body.put("previousRetiresAt", r.previousRetiresAt());
        Responses.ok(res, body);
    }

    private Map<String, Object> session(User user, String refreshToken) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("accessToken", tokens.accessToken(user, settings.accessTokenTtl()));
        session.put("refreshToken", refreshToken);
        session.put("expiresIn", settings.accessTokenTtl().toSeconds());
        session.put("tokenType", "Bearer");
        session.put("user", user);
        return session;
    }

    private static String refreshToken(ServerRequest req) {
        Requests.RefreshToken body = Bodies.read(req, Requests.RefreshToken.class);
        new Validator().required("refreshToken", body.refreshToken()).text("refreshToken", body.refreshToken(), 256).throwIfInvalid();
        return body.refreshToken();
    }

    static void password(Validator v, String password) {
        v.required("password", password);
        if (password != null && !password.isBlank()) {
            if (password.length() < Passwords.MIN_CHARS) {
                v.add("password", "must be at least " + Passwords.MIN_CHARS + " characters");
            } else if (Passwords.tooLong(password)) {
                v.add("password", "must be at most " + Passwords.MAX_BYTES + " bytes");
            } else {
                v.text("password", password, Passwords.MAX_BYTES);
            }
        }
    }

    private static String strip(String s) {
        return s == null ? null : s.strip();
    }

    /**
     * The TCP peer, or, when {@code storefront.auth.client-ip-header} names one (e.g. X-Forwarded-For
     * behind an ingress), the last address in it: the one our own proxy appended. Earlier entries are
     * whatever the client claimed and would let it dodge the limits.
     */
    static String clientIp(ServerRequest req, AuthSettings settings) {
        if (settings.clientIpHeader() != null) {
            var values = req.headers().values(io.helidon.http.HeaderNames.create(settings.clientIpHeader()));
            if (!values.isEmpty()) {
                String[] hops = values.getLast().split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 64) {
                    return last;
                }
            }
        }
        return req.remotePeer().host();
    }
}
