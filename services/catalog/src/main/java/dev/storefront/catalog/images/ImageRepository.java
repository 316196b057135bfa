package dev.storefront.catalog.images;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.storefront.common.db.Database;
import dev.storefront.common.db.Rows;
import dev.storefront.common.web.Json;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;

/**
 * The SQL of product images: the {@code product_images} rows (the truth) and the copy of them on the
 * product row ({@code products.media}, and {@code products.images} as the full-size URLs, primary first),
 * rewritten in the same transaction as every change so a product read stays one row.
 */
public final class ImageRepository {
    private static final TypeReference<Map<String, ProductImage.Variant>> VARIANTS = new TypeReference<>() { };
    private static final String COLUMNS = "id, position, is_primary, width, height, source_format, variants::text AS variants";

    private final Database db;

    public ImageRepository(Database db) {
        this.db = db;
    }

    public List<ProductImage> list(UUID productId) {
        return Database.list(db.execute(), "SELECT " + COLUMNS + " FROM product_images WHERE product_id = ? ORDER BY position",
                ImageRepository::image, productId);
    }

    public List<ProductImage> listIn(DbExecute tx, UUID productId) {
        return Database.list(tx, "SELECT " + COLUMNS + " FROM product_images WHERE product_id = ? ORDER BY position",
                ImageRepository::image, productId);
    }

    /** Locks the product row (uploads to one product queue here); empty when it is gone or not the caller's. */
    public Optional<UUID> lockProduct(DbExecute tx, UUID productId, UUID ownerOnly) {
        return Database.one(tx, "SELECT vendor_id FROM products WHERE id = ? AND (?::uuid IS NULL OR vendor_id = ?::uuid) FOR UPDATE",
                r -> Rows.uuid(r, "vendor_id"), productId, ownerOnly, ownerOnly);
    }

    public void insert(DbExecute tx, UUID productId, ProductImage image) {
        tx.dml("INSERT INTO product_images (id, product_id, position, is_primary, width, height, source_format, variants) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)", image.id(), productId, image.position(), image.primary(),
                image.width(), image.height(), image.sourceFormat(), Json.write(image.variants()));
    }

    public void delete(DbExecute tx, UUID imageId) {
        tx.dml("DELETE FROM product_images WHERE id = ?", imageId);
    }

    /** Writes every image's place: positions 0..n-1 in the given order, one primary. */
    public void place(DbExecute tx, UUID productId, List<ProductImage> ordered) {
        // the primary flag is cleared first: the partial unique index allows one primary per product
        tx.dml("UPDATE product_images SET is_primary = false WHERE product_id = ? AND is_primary", productId);
        for (ProductImage image : ordered) {
            tx.dml("UPDATE product_images SET position = ?, is_primary = ? WHERE id = ?", image.position(), image.primary(), image.id());
        }
    }

    /** Copies the images onto the product row and marks it changed. */
    public void refreshProduct(DbExecute tx, UUID productId) {
        List<ProductImage> images = listIn(tx, productId);
        List<String> fullUrls = new ArrayList<>();
        images.stream().sorted(Comparator.comparing((ProductImage i) -> !i.primary()).thenComparingInt(ProductImage::position))
                .forEach(i -> fullUrls.add(i.variants().get(ImageVariants.Kind.FULL.key()).url()));
        tx.dml("UPDATE products SET media = ?::jsonb, images = ?::jsonb, version = version + 1, updated_at = now() WHERE id = ?",
                Json.write(images), Json.write(fullUrls), productId);
    }

    /** A product that has no uploaded image yet: id, name, category slug. */
    public record Bare(UUID id, String name, String categorySlug) {
    }

    /** One vendor's products without uploaded images (the demo vendor's, to draw theirs). */
    public List<Bare> withoutImages(UUID vendorId) {
        return Database.list(db.execute(), "SELECT p.id, p.name, c.slug FROM products p LEFT JOIN categories c ON c.id = p.category_id "
                + "WHERE p.vendor_id = ? AND p.media = '[]'::jsonb ORDER BY p.id", r -> new Bare(Rows.uuid(r, "id"),
                Rows.string(r, "name"), Rows.string(r, "slug")), vendorId);
    }

    static ProductImage image(DbRow r) {
        try {
            return new ProductImage(Rows.uuid(r, "id"), Rows.intValue(r, "position"), Rows.bool(r, "is_primary"),
                    Rows.intValue(r, "width"), Rows.intValue(r, "height"), Rows.string(r, "source_format"),
                    Json.mapper().readValue(Rows.string(r, "variants"), VARIANTS));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Unreadable image variants: " + e.getMessage(), e);
        }
    }
}
