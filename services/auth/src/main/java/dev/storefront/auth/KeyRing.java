package dev.storefront.auth;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.storefront.common.security.SigningKey;
import dev.storefront.common.security.VerificationKeys;
import io.helidon.config.Config;
import io.helidon.security.jwt.jwk.JwkKeys;

/**
 * auth's signing keys, kept in its database so every replica and restart signs with the same key:
 * the key that signs now, a rotated-in key published before it signs, and the previous key, which
 * verifies until the longest token signed with it has expired (then it is deleted).
 * <p>
 * Where keys come from: one generated at the first start; {@code storefront.auth.signing-key} (PKCS#8
 * PEM, the operator's Secret) added as the next key when the ring lacks it, and
 * {@code storefront.auth.previous-signing-key} kept as a retiring key when the ring is new; {@link #rotate()} (the admin
 * route). A new key signs {@code activation} after it is added: every replica reloads the ring every
 * {@code key-reload-seconds}, so all of them publish it before any signs with it.
 */
final class KeyRing implements VerificationKeys {
    private static final System.Logger LOG = System.getLogger(KeyRing.class.getName());
    private static final Duration MIN_RELOAD = Duration.ofSeconds(1);

    /** One snapshot of the ring, swapped whole on reload. */
    private record Entry(SigningKey key, Instant activatesAt, Instant retiresAt) {
    }

    private record Snapshot(List<Entry> entries, JwkKeys verification, long loadedAtNanos) {
    }

    /** What a rotation did, as the admin route answers it. */
    record Rotation(String kid, Instant activatesAt, String previousKid, Instant previousRetiresAt) {
    }

    private final AuthRepository repo;
    private final Duration retireAfter;
    private final Duration activation;
    private volatile Snapshot snapshot;

    /**
     * @param retireAfter the longest lifetime of a token signed with a key, plus the verifiers' clock skew
     * @param activation  how long a new key is published before it signs (at least one reload interval)
     */
    KeyRing(AuthRepository repo, Duration retireAfter, Duration activation) {
        this.repo = repo;
        this.retireAfter = retireAfter;
        this.activation = activation;
    }

    static KeyRing load(Config config, AuthRepository repo, AuthSettings settings) {
        KeyRing ring = new KeyRing(repo, settings.longestTokenTtl().plusSeconds(30), settings.keyReload().multipliedBy(2));
        Instant now = Instant.now();
        config.get("storefront.auth.previous-signing-key").asString().filter(s -> !s.isBlank()).ifPresent(pem -> {
            SigningKey previous = SigningKey.fromPem(pem);
            repo.addRetiringKeyToEmptyRing(previous.kid(), previous.toPem(), now.plus(ring.retireAfter));
        });
        var configured = config.get("storefront.auth.signing-key").asString().filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            SigningKey key = SigningKey.fromPem(configured.get());
            // a first start signs with it at once; a changed Secret's key is published first, then signs
            if (repo.addSigningKey(key.kid(), key.toPem(), now, ring.retireAfter, true)
                    || repo.addSigningKey(key.kid(), key.toPem(), now.plus(ring.activation), ring.retireAfter, false)) {
                LOG.log(Level.INFO, "Added the configured signing key (kid " + key.kid() + ") to the key ring");
            }
        } else {
            SigningKey generated = SigningKey.generate();
            // two replicas starting at once may both generate: the first insert wins, both use it
            if (repo.addSigningKey(generated.kid(), generated.toPem(), now, ring.retireAfter, true)) {
                LOG.log(Level.INFO, "Generated a signing key (kid " + generated.kid() + ") and stored it in the auth database");
            }
        }
        ring.reload();
        return ring;
    }

    /** Reads the ring from the database again (the reload job, an unknown kid, after a rotation). */
    void reload() {
        List<Entry> entries = new ArrayList<>();
        for (AuthRepository.KeyRow row : repo.signingKeys()) {
            entries.add(new Entry(SigningKey.fromPem(row.privateKeyPem()), row.activatesAt(), row.retiresAt()));
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException("auth's key ring is empty");
        }
        JwkKeys.Builder verification = JwkKeys.builder();
        entries.forEach(e -> verification.addKey(e.key().verifier()));
        snapshot = new Snapshot(List.copyOf(entries), verification.build(), System.nanoTime());
    }

    /** A new key, published now, signing after the activation delay; the current key retires after the longest token lifetime. */
    Rotation rotate() {
        SigningKey before = signer();
        SigningKey next = SigningKey.generate();
        Instant activatesAt = Instant.now().plus(activation);
        repo.addSigningKey(next.kid(), next.toPem(), activatesAt, retireAfter, false);
        reload();
        LOG.log(Level.INFO, "Rotated the signing key: kid " + next.kid() + " signs from " + activatesAt + ", kid " + before.kid()
                + " verifies until " + activatesAt.plus(retireAfter));
        return new Rotation(next.kid(), activatesAt, before.kid(), activatesAt.plus(retireAfter));
    }

    /** The key that signs now: the newest whose activation has come. */
    SigningKey signer() {
        Instant now = Instant.now();
        SigningKey signer = null;
        for (Entry e : snapshot.entries()) {
            if (!e.activatesAt().isAfter(now) && (e.retiresAt() == null || e.retiresAt().isAfter(now))) {
                signer = e.key();
            }
        }
        if (signer == null) {
            signer = snapshot.entries().getFirst().key(); // only a pending key (clocks apart): sign with it rather than not at all
        }
        return signer;
    }

    /** Every key a token may be signed with: the JWKS lists exactly these. */
    @Override
    public JwkKeys current() {
        return snapshot.verification();
    }

    /** A token of a key this replica has not loaded yet (another replica rotated): look in the database, once a second at most. */
    @Override
    public synchronized JwkKeys refreshed(String unknownKid) {
        if (System.nanoTime() - snapshot.loadedAtNanos() >= MIN_RELOAD.toNanos()) {
            reload();
        }
        return snapshot.verification();
    }

    /** The public halves, as served at /.well-known/jwks.json. */
    Map<String, Object> jwks() {
        Instant now = Instant.now();
        return Map.of("keys", snapshot.entries().stream()
                .filter(e -> e.retiresAt() == null || e.retiresAt().isAfter(now))
                .map(e -> e.key().publicJwk()).toList());
    }

    /** Deletes retired keys and reloads: the reload job's step. */
    void reloadAndPrune() {
        long deleted = repo.deleteRetiredKeys();
        if (deleted > 0) {
            LOG.log(Level.INFO, "Deleted " + deleted + " retired signing key(s)");
        }
        reload();
    }
}
