package dev.storefront.search;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.storefront.common.db.Database;
import io.helidon.dbclient.DbExecute;

/**
 * Product embeddings kept in search's own PostgreSQL database (table {@code embeddings}), so that a restart,
 * a rebuild or a new replica embeds only the products whose text changed since any replica last embedded them.
 * One row per product: the SHA-256 of the model's name and the embedded text, and the vector. A row is used
 * only when its hash is that of the text the product has now (a price change keeps the vector, a new
 * description does not), and it is replaced when the text changes.
 * <p>
 * Why the database and not a file beside the index: the index lives in the pod's temporary directory and dies
 * with it, while the database outlives pods and is shared by every replica, so the second replica of a scale-out
 * starts from the first one's work. Vectors are 1.5 KB each (384 float32): 100,000 products are ~160 MB.
 * A database that does not answer is not fatal: the products are embedded again, and the next rebuild stores them.
 */
final class EmbeddingCache {
    private static final System.Logger LOG = System.getLogger(EmbeddingCache.class.getName());
    /** Rows per INSERT: three parameters each, far under PostgreSQL's 65,535. */
    private static final int WRITE_BATCH = 100;

    /** A product's text key and vector, to store. */
    record Entry(UUID productId, byte[] key, float[] vector) {
    }

    private final Database db;

    EmbeddingCache(Database db) {
        this.db = db;
    }

    /** The cache key of a text: SHA-256 over the model's name and the text. */
    static byte[] key(String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Embeddings.MODEL.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return sha.digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The stored vectors of these products whose key is still the one given (their text has not changed);
     * empty when the database does not answer.
     */
    Map<UUID, float[]> find(Map<UUID, byte[]> keys) {
        Map<UUID, float[]> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        String[] ids = keys.keySet().stream().map(UUID::toString).toArray(String[]::new);
        try {
            Database.list(db.execute(), "SELECT product_id, text_key, vector FROM embeddings WHERE product_id = ANY(?::uuid[])",
                    row -> {
                        UUID id = UUID.fromString(row.column("product_id").get().toString());
                        byte[] key = row.column("text_key").get(byte[].class);
                        if (Arrays.equals(key, keys.get(id))) {
                            found.put(id, vector(row.column("vector").get(byte[].class)));
                        }
                        return id;
                    }, (Object) ids);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "search: embedding cache not readable, embedding " + keys.size()
                    + " products again: " + e.getMessage());
            found.clear();
        }
        return found;
    }

    /** Stores (or replaces) these products' vectors; a failure is logged, not thrown (the index has them anyway). */
    void store(List<Entry> entries) {
        try {
            for (int from = 0; from < entries.size(); from += WRITE_BATCH) {
                List<Entry> batch = entries.subList(from, Math.min(entries.size(), from + WRITE_BATCH));
                StringBuilder sql = new StringBuilder("INSERT INTO embeddings (product_id, text_key, vector) VALUES ");
                Object[] params = new Object[batch.size() * 3];
                for (int i = 0; i < batch.size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append("(?::uuid, ?, ?)");
                    params[3 * i] = batch.get(i).productId().toString();
                    params[3 * i + 1] = batch.get(i).key();
                    params[3 * i + 2] = bytes(batch.get(i).vector());
                }
                sql.append(" ON CONFLICT (product_id) DO UPDATE SET text_key = EXCLUDED.text_key, vector = EXCLUDED.vector, "
                        + "stored_at = now()");
                db.execute().dml(sql.toString(), params);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "search: could not store " + entries.size() + " embeddings: " + e.getMessage());
        }
    }

    /** The product is gone: so is its vector (in the event's transaction). */
    static void delete(DbExecute tx, UUID productId) {
        tx.dml("DELETE FROM embeddings WHERE product_id = ?::uuid", productId.toString());
    }

    static byte[] bytes(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    static float[] vector(byte[] bytes) {
        if (bytes.length != Embeddings.DIMENSIONS * Float.BYTES) {
            throw new IllegalStateException("a stored embedding of " + bytes.length + " bytes, not " + Embeddings.DIMENSIONS + " floats");
        }
        float[] vector = new float[Embeddings.DIMENSIONS];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }
}
