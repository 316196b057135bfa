package dev.storefront.auth;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.security.Authz;
import dev.storefront.common.security.TokenVerifier;
import io.helidon.webserver.http.HttpRouting;

/**
 * auth as the launcher and {@link Main} mount it. auth verifies tokens with its own key in-process
 * (never over HTTP to its own JWKS), so it works with a context built the ordinary way:
 * {@code AuthModule.create(ServiceContext.builder("auth", config).build())}. In one-process mode the
 * launcher may hand {@link #verifier()} to the other services' contexts to skip the JWKS fetch.
 */
public final class AuthModule implements ServiceModule {
    private static final System.Logger LOG = System.getLogger(AuthModule.class.getName());

    private final ServiceContext ctx;
    private final AuthRepository repo;
    private final KeyRing keys;
    private final TokenIssuer tokens;
    private final TokenVerifier verifier;
    private final AuthService authService;
    private final UsersService usersService;
    private final AuthInternalService internalService;
    private final BackgroundJob tokenCleanup;
    private final BackgroundJob keyReload;
    private final Passwords passwords;

    /** The demo catalog's products belong to this vendor (docs/contracts.md, "Demo data"). */
    static final UUID DEMO_VENDOR_ID = UUID.fromString("00000000-0000-4000-8000-00000000d0e0");

    private AuthModule(ServiceContext ctx) {
        this.ctx = ctx;
        AuthSettings settings = AuthSettings.from(ctx.config());
        this.repo = new AuthRepository(ctx.db(), ctx.outbox());
        this.keys = KeyRing.load(ctx.config(), repo, settings);
        this.tokens = new TokenIssuer(keys);
        this.verifier = tokens.verifier();
        Authz authz = new Authz(verifier);
        this.passwords = new Passwords(settings.bcryptCost());
        if (repo.ensureAdmin(settings.adminEmail(), () -> passwords.hash(settings.adminPassword()))) {
            LOG.log(Level.INFO, "Created the first admin " + settings.adminEmail());
        }
        this.authService = new AuthService(repo, tokens, keys, passwords, authz, settings);
        this.usersService = new UsersService(repo, authz);
        this.internalService = new AuthInternalService(repo, tokens, authz, settings);
        this.tokenCleanup = BackgroundJob.builder("refresh-token-cleanup", () -> {
            long deleted = repo.deleteExpiredTokens();
            if (deleted > 0) {
                LOG.log(Level.INFO, "Deleted " + deleted + " expired refresh tokens");
            }
            return false;
        }).every(Duration.ofHours(1)).retryAfter(Duration.ofMinutes(5), Duration.ofMinutes(5)).build();
        // every replica sees a rotation (admin route, or a new key in the Secret on another replica) within this
        this.keyReload = BackgroundJob.builder("signing-key-reload", () -> {
            keys.reloadAndPrune();
            return false;
        }).every(settings.keyReload()).retryAfter(settings.keyReload(), settings.keyReload()).build();
    }

    public static AuthModule create(ServiceContext ctx) {
        return new AuthModule(ctx);
    }

    /** Verifies access and service tokens against auth's own key, without any HTTP call. */
    public TokenVerifier verifier() {
        return verifier;
    }

    /** The {@code kid} tokens are signed with (the key's thumbprint). */
    public String keyId() {
        return tokens.keyId();
    }

    @Override
    public String name() {
        return "auth";
    }

    /** A demo vendor (vendor@storefront.local / vendor12345) who owns the demo catalog, and a demo shopper. */
    @Override
    public void seedDemoData() {
        repo.ensureUser(DEMO_VENDOR_ID, "Demo Vendor", "vendor@storefront.local", "vendor", () -> passwords.hash("vendor12345"));
        repo.ensureUser(UUID.randomUUID(), "Demo Shopper", "shopper@storefront.local", "customer", () -> passwords.hash("shopper12345"));
    }

    @Override
    public ServiceContext context() {
        return ctx;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register("/api/auth", authService)
                .register("/api/users", usersService)
                .register("/internal/auth", internalService);
    }

    @Override
    public List<BackgroundJob> jobs() {
        return List.of(tokenCleanup, keyReload);
    }
}
