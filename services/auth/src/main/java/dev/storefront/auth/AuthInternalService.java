package dev.storefront.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.storefront.common.security.Authz;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.RateLimiter;
import dev.storefront.common.web.Responses;
import dev.storefront.common.web.Validator;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * /internal/auth: service tokens for the other services, and the user lookups they need.
 * Every route except /token (which is how a service gets its token) takes a service token only.
 */
final class AuthInternalService implements HttpService {
    private final AuthRepository repo;
    private final TokenIssuer tokens;
    private final Authz authz;
    private final AuthSettings settings;
    private final RateLimiter tokenPerIp;

    AuthInternalService(AuthRepository repo, TokenIssuer tokens, Authz authz, AuthSettings settings) {
        this.repo = repo;
        this.tokens = tokens;
        this.authz = authz;
        this.settings = settings;
        this.tokenPerIp = new RateLimiter(settings.loginAttemptsPerIp(), settings.loginIpWindow());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/token", this::token)
                .get("/users/{id}", this::user)
                .get("/admins", this::admins);
    }

    private void token(ServerRequest req, ServerResponse res) {
        tokenPerIp.acquire(AuthService.clientIp(req, settings));
        Requests.ClientCredentials body = Bodies.read(req, Requests.ClientCredentials.class);
        new Validator().requiredText("clientId", body.clientId(), 100).required("clientSecret", body.clientSecret())
                .text("clientSecret", body.clientSecret(), 500).throwIfInvalid();
        String expected = settings.serviceClients().get(body.clientId());
        // constant-time compare; an unknown client is compared against a decoy so it takes as long
        boolean ok = MessageDigest.isEqual((expected == null ? "\0decoy" : expected).getBytes(StandardCharsets.UTF_8),
                body.clientSecret().getBytes(StandardCharsets.UTF_8)) && expected != null;
        if (!ok) {
            throw ApiException.unauthenticated("Invalid client credentials");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accessToken", tokens.serviceToken(body.clientId(), settings.serviceTokenTtl()));
        answer.put("expiresIn", settings.serviceTokenTtl().toSeconds());
        answer.put("tokenType", "Bearer");
        Responses.ok(res, answer);
    }

    private void user(ServerRequest req, ServerResponse res) {
        authz.service(req);
        var id = Params.pathId(req, "id", "User");
        Responses.ok(res, repo.user(id).orElseThrow(() -> ApiException.notFound("User")));
    }

    private void admins(ServerRequest req, ServerResponse res) {
        authz.service(req);
        Responses.ok(res, repo.admins());
    }
}
