package dev.storefront.catalog.images;

import java.util.Map;
import java.util.UUID;

/**
 * One uploaded image of a product as the wire shows it: its place in the gallery, whether it is the
 * primary image, the size it was uploaded at, and its variants ({@code thumb}, {@code card},
 * {@code full}) with their URLs and pixel sizes (for {@code srcset}).
 */
public record ProductImage(UUID id, int position, boolean primary, int width, int height, String sourceFormat,
                           Map<String, Variant> variants) {

    /** One scaled copy. {@code url} is the platform path of the object; the key in the bucket is the path less "/api/". */
    public record Variant(String url, int width, int height) {
        public String key() {
            return url.substring("/api/".length());
        }
    }

    ProductImage withPlace(int newPosition, boolean isPrimary) {
        return new ProductImage(id, newPosition, isPrimary, width, height, sourceFormat, variants);
    }
}
