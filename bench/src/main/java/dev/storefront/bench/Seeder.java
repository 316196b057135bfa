package dev.storefront.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;

/**
 * Puts the bench's data in its own databases ({@code <prefix>catalog}, …):
 * <ul>
 *   <li>products with catalog's own generator (COPY; run while the platform is stopped so no cache holds the old list);</li>
 *   <li>shoppers as rows in auth's users table, with access tokens the bench signs with auth's key. Registering
 *       10,000 through the API would take bcrypt (cost 11) twice per shopper, ~20 CPU-minutes here, and auth
 *       rightly limits registrations per client address;</li>
 *   <li>stock through inventory's admin API, and carts through the cart API, concurrently, like shoppers would.</li>
 * </ul>
 */
final class Seeder {
    private final String prefix;
    private final Path launcherJar;

    Seeder(String prefix, Path launcherJar) {
        this.prefix = prefix;
        this.launcherJar = launcherJar;
    }

    String db(String service) {
        return prefix + service;
    }

    long productCount() {
        if (!Db.exists(db("catalog"))) {
            return 0;
        }
        try {
            return Db.count(db("catalog"), "SELECT count(*) FROM products");
        } catch (IllegalStateException e) {
            return 0; // not migrated yet
        }
    }

    /** Tops the catalog up to {@code count} products with catalog's generator (it also migrates the database). */
    void ensureProducts(int count, Path log) throws Exception {
        long have = productCount();
        if (have >= count) {
            return;
        }
        System.out.printf("bench: generating %,d products in %s (log: %s) ...%n", count - have, db("catalog"), log);
        java.nio.file.Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", launcherJar.toString(), "dev.storefront.catalog.CatalogDemoData", String.valueOf(count - have))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("STOREFRONT_DB_URL", "jdbc:postgresql://" + Db.HOST + "/" + db("catalog"));
        int code = pb.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException("catalog's generator failed (exit " + code + "), see " + log);
        }
    }

    /** Shopper i's id: stable across runs, so a second run finds the first run's shoppers and carts. */
    static String shopperId(int i) {
        return UUID.nameUUIDFromBytes(("bench-shopper-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Makes sure shoppers 0..n-1 exist in auth's users table and returns an access token for each. */
    List<String> shoppers(int n) throws Exception {
        // a real bcrypt hash of a password nobody knows: the accounts exist, nobody can log in to them
        String hash = BCrypt.withDefaults().hashToString(4, UUID.randomUUID().toString().toCharArray());
        Db.update(db("auth"), "INSERT INTO users (id, name, email, password_hash, role) "
                + "SELECT md5('x')::uuid, 'x', 'x', 'x', 'customer' WHERE false"); // fails early if the schema moved
        StringBuilder values = new StringBuilder();
        int batch = 0;
        for (int i = 0; i < n; i++) {
            values.append(values.isEmpty() ? "" : ",").append("('").append(shopperId(i)).append("','Bench Shopper ").append(i)
                    .append("','shopper-").append(i).append("@bench.storefront.local')");
            if (++batch == 1000 || i == n - 1) {
                Db.update(db("auth"), "INSERT INTO users (id, name, email, password_hash, role) SELECT v.id::uuid, v.name, v.email, ?, 'customer' "
                        + "FROM (VALUES " + values + ") AS v(id, name, email) ON CONFLICT DO NOTHING", hash);
                values.setLength(0);
                batch = 0;
            }
        }
        JwkRSA signer = currentSigner();
        List<String> tokens = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tokens.add(sign(signer, shopperId(i), "customer", "shopper-" + i + "@bench.storefront.local", "Bench Shopper " + i));
        }
        return tokens;
    }

    /** An access token for {@code role} (e.g. admin), signed with auth's current key like {@link #shoppers}' tokens. */
    String token(String subject, String role) throws Exception {
        return sign(currentSigner(), subject, role, role + "-" + subject.substring(0, 8) + "@bench.storefront.local", "Bench " + role);
    }

    /** The key that signs now: the newest whose activation has come (auth's key ring). */
    private JwkRSA currentSigner() throws Exception {
        String active = "FROM signing_keys WHERE activates_at <= now() AND (retires_at IS NULL OR retires_at > now()) ORDER BY activates_at DESC LIMIT 1";
        List<String> kid = Db.strings(db("auth"), "SELECT kid " + active);
        List<String> pem = Db.strings(db("auth"), "SELECT private_key " + active);
        if (kid.isEmpty()) {
            throw new IllegalStateException("auth has no signing key in " + db("auth") + " (is auth configured with one?)");
        }
        RSAPrivateCrtKey priv = (RSAPrivateCrtKey) privateKey(pem.get(0));
        return JwkRSA.builder().keyId(kid.get(0)).algorithm(JwkRSA.ALG_RS256).privateKey(priv)
                .publicKey((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent())))
                .build();
    }

    private static String sign(JwkRSA signer, String subject, String role, String email, String name) {
        Instant now = Instant.now();
        Jwt jwt = Jwt.builder().algorithm(JwkRSA.ALG_RS256).keyId(signer.keyId()).type("JWT")
                .issuer("storefront-auth").addAudience("storefront").subject(subject)
                .addPayloadClaim("typ", "access").addPayloadClaim("role", role)
                .addPayloadClaim("email", email).addPayloadClaim("name", name)
                .issueTime(now).notBefore(now.minusSeconds(5)).expirationTime(now.plusSeconds(6 * 3600))
                .jwtId(UUID.randomUUID().toString()).build();
        return SignedJwt.sign(jwt, signer).tokenContent();
    }

    private static RSAPrivateKey privateKey(String pem) throws Exception {
        String base64 = pem.replace("\\n", "\n").replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", "");
        return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The first {@code n} products by id: the ones carts and checkouts buy (plenty of stock each). */
    List<String> spreadProducts(int n) {
        return Db.strings(db("catalog"), "SELECT id::text FROM products ORDER BY id LIMIT ?", n);
    }

    List<String> sampleProducts(int n) {
        return Db.strings(db("catalog"), "SELECT id::text FROM products ORDER BY random() LIMIT ?", n);
    }

    List<String> categorySlugs() {
        return Db.strings(db("catalog"), "SELECT slug FROM categories ORDER BY slug");
    }

    /** Words shoppers search for, taken from product names (brands, nouns, adjectives). */
    List<String> searchWords(int n) {
        Set<String> words = new LinkedHashSet<>();
        for (String name : Db.strings(db("catalog"), "SELECT name FROM products ORDER BY random() LIMIT 400")) {
            for (String w : name.split("\\s+")) {
                if (w.length() >= 4 && w.chars().allMatch(Character::isLetter)) {
                    words.add(w.toLowerCase());
                }
            }
        }
        List<String> out = new ArrayList<>(words);
        java.util.Collections.shuffle(out);
        return out.subList(0, Math.min(n, out.size()));
    }

    /** Gives each product at least {@code quantity} units through inventory's admin API. */
    void ensureStock(Api api, String adminToken, List<String> productIds, int quantity) {
        Set<String> stocked = new HashSet<>(Db.strings(db("inventory"),
                "SELECT product_id::text FROM stock WHERE available >= ?", quantity / 2));
        List<String> missing = productIds.stream().filter(id -> !stocked.contains(id)).toList();
        if (missing.isEmpty()) {
            return;
        }
        System.out.printf("bench: stocking %,d products ...%n", missing.size());
        int failed = Api.parallel(missing, 16, id -> {
            Api.Reply r = api.post("/api/inventory/add", adminToken, Map.of("productId", id, "quantity", quantity));
            if (!r.ok()) {
                throw new IllegalStateException("inventory add " + r.status() + " " + r.body());
            }
        });
        if (failed > 0) {
            throw new IllegalStateException(failed + " stock additions failed");
        }
    }

    /** Gives every shopper whose cart is empty {@code lines} items, through the cart API. */
    void ensureCarts(Api api, List<String> tokens, List<String> productIds, int lines) {
        Set<String> withItems = new HashSet<>(Db.strings(db("cart"),
                "SELECT c.user_id::text FROM carts c WHERE EXISTS (SELECT 1 FROM cart_items i WHERE i.cart_id = c.id)"));
        List<Integer> empty = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!withItems.contains(shopperId(i))) {
                empty.add(i);
            }
        }
        if (empty.isEmpty()) {
            return;
        }
        System.out.printf("bench: filling %,d carts through the cart API ...%n", empty.size());
        long t0 = System.nanoTime();
        int failed = Api.parallel(empty, 32, i -> {
            for (int line = 0; line < lines; line++) {
                String pid = productIds.get(ThreadLocalRandom.current().nextInt(productIds.size()));
                Api.Reply r = api.post("/api/cart/add", tokens.get(i), Map.of("productId", pid, "quantity", 1));
                if (!r.ok()) {
                    throw new IllegalStateException("cart add " + r.status() + " " + r.body());
                }
            }
        });
        System.out.printf("bench: carts filled in %d ms (%d failed)%n", (System.nanoTime() - t0) / 1_000_000, failed);
        if (failed > empty.size() / 100) {
            throw new IllegalStateException(failed + " carts could not be filled");
        }
    }

    /** Empties these shoppers' carts and puts exactly one unit of {@code productId} in each (the flash sale's start). */
    void flashCarts(Api api, List<String> tokens, String productId) {
        int failed = Api.parallel(tokens, 32, token -> {
            Api.Reply cleared = api.call("DELETE", "/api/cart", token, null, null);
            if (!cleared.ok()) {
                throw new IllegalStateException("cart clear " + cleared.status() + " " + cleared.body());
            }
            Api.Reply r = api.post("/api/cart/add", token, Map.of("productId", productId, "quantity", 1));
            if (!r.ok()) {
                throw new IllegalStateException("cart add " + r.status() + " " + r.body());
            }
        });
        if (failed > 0) {
            throw new IllegalStateException(failed + " flash-sale carts could not be prepared");
        }
    }
}
