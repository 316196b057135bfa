package dev.storefront.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.events.Outbox;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/** All of auth's SQL. Every change that matters is one statement or one transaction with a row lock. */
final class AuthRepository {
    static final int MAX_ADDRESSES = 20;
    private static final String USER_COLUMNS = "id, name, email, role, created_at";
    private static final String ADDRESS_COLUMNS = "id, full_name, line1, line2, city, region, postal_code, country, phone, is_default";

    private final Database db;
    private final Outbox outbox;

    AuthRepository(Database db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /** A user's row with the password hash, for login only. */
    record Credentials(User user, String passwordHash) {
    }

    /** A refresh token spent by a rotation: who it belonged to and its family. */
    record SpentToken(UUID userId, UUID familyId) {
    }

    // ---- users ----

    /** Creates the user, their empty profile and the user.registered event; 409 when the email is taken. */
    User register(String name, String email, String passwordHash, Role role) {
        return db.inTransaction(tx -> {
            User user = tx.get("INSERT INTO users (id, name, email, password_hash, role) VALUES (?, ?, ?, ?, ?) "
                                    + "ON CONFLICT ((lower(email))) DO NOTHING RETURNING " + USER_COLUMNS,
                            UUID.randomUUID(), name, email, passwordHash, role.claim())
                    .map(AuthRepository::user)
                    .orElseThrow(() -> ApiException.conflict("An account with this email already exists"));
            tx.insert("INSERT INTO user_profiles (user_id) VALUES (?)", user.id());
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("userId", user.id());
            event.put("email", user.email());
            event.put("name", user.name());
            event.put("role", user.role());
            outbox.append(tx, "storefront.user.registered", event);
            return user;
        });
    }

    /** The configured first admin, created once; an existing account with that email is left alone. */
    boolean ensureAdmin(String email, java.util.function.Supplier<String> passwordHash) {
        return ensureUser(UUID.randomUUID(), "Administrator", email, "admin", passwordHash);
    }

    /** Creates a configured or demo user unless one with that email exists; true when it did. */
    boolean ensureUser(UUID id, String name, String email, String role, java.util.function.Supplier<String> passwordHash) {
        if (Database.count(db.execute(), "SELECT count(*) FROM users WHERE lower(email) = lower(?)", email) > 0) {
            return false;
        }
        return db.inTransaction(tx -> {
            Optional<DbRow> row = tx.get("INSERT INTO users (id, name, email, password_hash, role) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT DO NOTHING RETURNING id", id, name, email, passwordHash.get(), role);
            row.ifPresent(r -> tx.insert("INSERT INTO user_profiles (user_id) VALUES (?)", Rows.uuid(r, "id")));
            return row.isPresent();
        });
    }

    Optional<Credentials> credentials(String email) {
        return db.execute().get("SELECT " + USER_COLUMNS + ", password_hash FROM users WHERE lower(email) = lower(?)", email)
                .map(r -> new Credentials(user(r), Rows.string(r, "password_hash")));
    }

    Optional<User> user(UUID id) {
        return user(db.execute(), id);
    }

    private static Optional<User> user(DbExecute exec, UUID id) {
        return exec.get("SELECT " + USER_COLUMNS + " FROM users WHERE id = ?", id).map(AuthRepository::user);
    }

    List<User> admins() {
        return Database.list(db.execute(), "SELECT " + USER_COLUMNS + " FROM users WHERE role = 'admin' ORDER BY created_at, id",
                AuthRepository::user);
    }

    // ---- refresh tokens ----

    /** A login: a new family with its first token. */
    void startSession(UUID userId, String tokenHash, Instant expiresAt) {
        db.execute().insert("INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)",
                tokenHash, userId, UUID.randomUUID(), Rows.param(expiresAt));
    }

    /**
     * Spends a live token and adds its successor to the same family, atomically: of two requests
     * presenting the same token only one gets the row back from the UPDATE. Empty when the token is
     * unknown, spent, revoked or expired.
     */
    Optional<User> rotate(String tokenHash, String nextHash, Instant nextExpiresAt) {
        return db.inTransaction(tx -> {
            Optional<SpentToken> spent = tx.get("UPDATE refresh_tokens SET used_at = now() "
                            + "WHERE token_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now() "
                            + "RETURNING user_id, family_id", tokenHash)
                    .map(r -> new SpentToken(Rows.uuid(r, "user_id"), Rows.uuid(r, "family_id")));
            if (spent.isEmpty()) {
                return Optional.<User>empty();
            }
            tx.insert("INSERT INTO refresh_tokens (token_hash, user_id, family_id, expires_at) VALUES (?, ?, ?, ?)",
                    nextHash, spent.get().userId(), spent.get().familyId(), Rows.param(nextExpiresAt));
            return user(tx, spent.get().userId());
        });
    }

    /** Reuse of a spent token means it leaked: revoke every token of its family. Returns tokens revoked. */
    long revokeFamilyIfSpent(String tokenHash) {
        return db.execute().update("UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = "
                + "(SELECT family_id FROM refresh_tokens WHERE token_hash = ? AND used_at IS NOT NULL)", tokenHash);
    }

    /** Logout: the session (family) the token belongs to ends. Idempotent. */
    long revokeFamily(String tokenHash) {
        return db.execute().update("UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family_id = "
                + "(SELECT family_id FROM refresh_tokens WHERE token_hash = ?)", tokenHash);
    }

    /** Expired tokens are useless after a grace day (reuse of one that old is refused anyway as expired). */
    long deleteExpiredTokens() {
        return db.execute().delete("DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'");
    }

    // ---- signing keys ----

    /** A row of the key ring: the PEM, when it signs from, and when it stops verifying (null: not replaced yet). */
    record KeyRow(String kid, String privateKeyPem, Instant activatesAt, Instant retiresAt) {
    }

    /** Every key not yet retired, oldest first. */
    List<KeyRow> signingKeys() {
        return db.execute().query("SELECT kid, private_key, activates_at, retires_at FROM signing_keys "
                        + "WHERE retires_at IS NULL OR retires_at > now() ORDER BY activates_at, created_at")
                .map(r -> new KeyRow(Rows.string(r, "kid"), Rows.string(r, "private_key"), Rows.instant(r, "activates_at"),
                        Rows.instant(r, "retires_at")))
                .toList();
    }

    /**
     * Adds {@code kid} as the key that signs from {@code activatesAt}, unless the ring already has it;
     * the key that signs until then is retired at {@code activatesAt + retireAfter}. One transaction under
     * an advisory lock, so replicas that start or rotate at once agree on one order. True when added.
     */
    boolean addSigningKey(String kid, String privateKeyPem, Instant activatesAt, java.time.Duration retireAfter, boolean onlyIfEmpty) {
        return db.inTransaction(tx -> {
            tx.query("SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))").count();
            // "empty": no key that signs or will sign (a previous key handed in by configuration only verifies)
            boolean empty = tx.get("SELECT count(*) AS n FROM signing_keys WHERE retires_at IS NULL")
                    .map(r -> r.column("n").getLong()).orElse(0L) == 0;
            if (onlyIfEmpty && !empty || tx.get("SELECT 1 FROM signing_keys WHERE kid = ?", kid).isPresent()) {
                return false;
            }
            tx.update("UPDATE signing_keys SET retires_at = ? WHERE retires_at IS NULL", Rows.param(activatesAt.plus(retireAfter)));
            tx.insert("INSERT INTO signing_keys (kid, private_key, activates_at) VALUES (?, ?, ?)", kid, privateKeyPem, Rows.param(activatesAt));
            return true;
        });
    }

    /**
     * A key that signs no more (the previous key in the operator's Secret), verifying until {@code retiresAt}; only
     * into an empty ring (a new or restored database): otherwise the ring knows it already, or retired it on purpose.
     */
    void addRetiringKeyToEmptyRing(String kid, String privateKeyPem, Instant retiresAt) {
        db.execute().insert("INSERT INTO signing_keys (kid, private_key, activates_at, retires_at) SELECT ?, ?, ?, ? "
                + "WHERE NOT EXISTS (SELECT 1 FROM signing_keys)", kid, privateKeyPem, Rows.param(Instant.EPOCH), Rows.param(retiresAt));
    }

    /** Retired keys' private parts are not kept. */
    long deleteRetiredKeys() {
        return db.execute().delete("DELETE FROM signing_keys WHERE retires_at < now()");
    }

    // ---- profiles ----

    Optional<Profile> profile(UUID userId) {
        return profile(db.execute(), userId);
    }

    private static Optional<Profile> profile(DbExecute exec, UUID userId) {
        return exec.get("SELECT u.id, u.name, u.email, p.phone, p.preferences FROM users u "
                + "LEFT JOIN user_profiles p ON p.user_id = u.id WHERE u.id = ?", userId).map(r -> {
            String prefs = Rows.string(r, "preferences");
            @SuppressWarnings("unchecked")
            Map<String, Object> preferences = prefs == null ? Map.of() : Json.read(prefs, LinkedHashMap.class);
            return new Profile(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.string(r, "email"), Rows.string(r, "phone"), preferences);
        });
    }

    /** Null arguments leave the value as it is; an empty phone clears it. */
    Profile updateProfile(UUID userId, String name, String phone, String preferencesJson) {
        return db.inTransaction(tx -> {
            long users = name == null
                    ? Database.count(tx, "SELECT count(*) FROM users WHERE id = ?", userId)
                    : tx.update("UPDATE users SET name = ?, updated_at = now() WHERE id = ?", name, userId);
            if (users == 0) {
                throw ApiException.notFound("User");
            }
            tx.insert("INSERT INTO user_profiles (user_id, phone, preferences) VALUES (?, NULLIF(CAST(? AS text), ''), "
                            + "COALESCE(CAST(? AS jsonb), '{}'::jsonb)) "
                            + "ON CONFLICT (user_id) DO UPDATE SET "
                            + "phone = CASE WHEN CAST(? AS text) IS NULL THEN user_profiles.phone ELSE NULLIF(CAST(? AS text), '') END, "
                            + "preferences = COALESCE(CAST(? AS jsonb), user_profiles.preferences), updated_at = now()",
                    userId, phone, preferencesJson, phone, phone, preferencesJson);
            return profile(tx, userId).orElseThrow(() -> ApiException.notFound("User"));
        });
    }

    // ---- addresses ----

    List<Address> addresses(UUID userId) {
        return Database.list(db.execute(), "SELECT " + ADDRESS_COLUMNS + " FROM addresses WHERE user_id = ? "
                + "ORDER BY is_default DESC, created_at, id", AuthRepository::address, userId);
    }

    /** Adds an address; the first one, or one marked default, becomes the default (the old one steps down). */
    Address addAddress(UUID userId, Requests.AddressInput in) {
        return db.inTransaction(tx -> {
            lockUser(tx, userId);
            long existing = Database.count(tx, "SELECT count(*) FROM addresses WHERE user_id = ?", userId);
            if (existing >= MAX_ADDRESSES) {
                throw ApiException.conflict("A user can keep at most " + MAX_ADDRESSES + " addresses");
            }
            boolean makeDefault = Boolean.TRUE.equals(in.isDefault()) || existing == 0;
            if (makeDefault) {
                tx.update("UPDATE addresses SET is_default = false, updated_at = now() WHERE user_id = ? AND is_default", userId);
            }
            return tx.get("INSERT INTO addresses (id, user_id, full_name, line1, line2, city, region, postal_code, country, phone, is_default) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING " + ADDRESS_COLUMNS,
                    UUID.randomUUID(), userId, in.fullName(), in.line1(), in.line2(), in.city(), in.region(),
                    in.postalCode(), in.country(), in.phone(), makeDefault).map(AuthRepository::address).orElseThrow();
        });
    }

    /** Replaces an address of this user; 404 when it is not theirs. {@code isDefault} absent keeps the flag. */
    Address updateAddress(UUID userId, UUID addressId, Requests.AddressInput in) {
        return db.inTransaction(tx -> {
            lockUser(tx, userId);
            if (Boolean.TRUE.equals(in.isDefault())) {
                tx.update("UPDATE addresses SET is_default = false, updated_at = now() WHERE user_id = ? AND is_default AND id <> ?",
                        userId, addressId);
            }
            return tx.get("UPDATE addresses SET full_name = ?, line1 = ?, line2 = ?, city = ?, region = ?, postal_code = ?, "
                            + "country = ?, phone = ?, is_default = COALESCE(?, is_default), updated_at = now() "
                            + "WHERE id = ? AND user_id = ? RETURNING " + ADDRESS_COLUMNS,
                    in.fullName(), in.line1(), in.line2(), in.city(), in.region(), in.postalCode(), in.country(), in.phone(),
                    in.isDefault(), addressId, userId).map(AuthRepository::address)
                    .orElseThrow(() -> ApiException.notFound("Address")); // rolls back the step-down above
        });
    }

    boolean deleteAddress(UUID userId, UUID addressId) {
        return db.execute().delete("DELETE FROM addresses WHERE id = ? AND user_id = ?", addressId, userId) > 0;
    }

    /** Serialises one user's address changes, so the default switch never races. */
    private static void lockUser(DbExecute tx, UUID userId) {
        if (tx.get("SELECT id FROM users WHERE id = ? FOR UPDATE", userId).isEmpty()) {
            throw ApiException.notFound("User");
        }
    }

    // ---- mapping ----

    private static User user(DbRow r) {
        return new User(Rows.uuid(r, "id"), Rows.string(r, "name"), Rows.string(r, "email"), Rows.string(r, "role"),
                Rows.instant(r, "created_at"));
    }

    private static Address address(DbRow r) {
        return new Address(Rows.uuid(r, "id"), Rows.string(r, "full_name"), Rows.string(r, "line1"), Rows.string(r, "line2"),
                Rows.string(r, "city"), Rows.string(r, "region"), Rows.string(r, "postal_code"), Rows.string(r, "country"),
                Rows.string(r, "phone"), Rows.bool(r, "is_default"));
    }
}
