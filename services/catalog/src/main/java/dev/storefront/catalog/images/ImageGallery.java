package dev.storefront.catalog.images;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.storefront.catalog.CatalogRepository;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.web.ApiException;
import io.helidon.dbclient.DbExecute;

/**
 * What can be done to a product's images: add (decode, make variants, store them, then record them),
 * remove, reorder and choose the primary one. Every change rewrites the product's copy of its images,
 * bumps the catalog version and appends {@code product.updated}, in one transaction. A file that fails
 * any check is refused before anything is written; objects written for an upload whose transaction then
 * fails are deleted again. Objects a removal orphans are recorded in its transaction and deleted after it
 * commits ({@link ImageCleanup}: a failed or interrupted delete is retried by the image-cleanup job).
 */
public final class ImageGallery {
    private final ServiceContext ctx;
    private final CatalogRepository catalog;
    private final ImageRepository images;
    private final ObjectStorage storage;
    private final ImageSettings settings;
    private final ImageDecoder decoder;
    private final Consumer<UUID> productChanged;
    private final ImageCleanup cleanup;
    /** Decoding and scaling take much memory for a moment: two at a time per process. */
    private final Semaphore decoding = new Semaphore(2);

    public ImageGallery(ServiceContext ctx, CatalogRepository catalog, ImageRepository images, ObjectStorage storage,
                        ImageSettings settings, ImageCleanup cleanup, Consumer<UUID> productChanged) {
        this.ctx = ctx;
        this.catalog = catalog;
        this.images = images;
        this.storage = storage;
        this.settings = settings;
        this.decoder = new ImageDecoder(settings.maxSide(), settings.maxPixels(), ImageVariants.Kind.FULL.side);
        this.productChanged = productChanged;
        this.cleanup = cleanup;
    }

    public ImageSettings settings() {
        return settings;
    }

    public ObjectStorage storage() {
        return storage;
    }

    /** Deletes the objects of removed images and deleted products, now or, failing that, later. */
    public ImageCleanup cleanup() {
        return cleanup;
    }

    public List<ProductImage> list(UUID productId) {
        return images.list(productId);
    }

    /** Adds an image; {@code ownerOnly} null means an admin. */
    public ProductImage add(UUID productId, UUID ownerOnly, byte[] bytes) {
        ImageDecoder.Decoded source;
        List<ImageVariants.Encoded> encoded;
        acquire();
        try {
            source = decoder.decode(bytes);
            encoded = ImageVariants.encode(source.image());
        } finally {
            decoding.release();
        }
        UUID imageId = UUID.randomUUID();
        Map<String, ProductImage.Variant> variants = new LinkedHashMap<>();
        List<String> written = new ArrayList<>();
        try {
            for (ImageVariants.Encoded v : encoded) {
                // content-addressed: the key names the bytes, so an object is never rewritten and caches keep it forever
                String key = "products/" + productId + "/images/" + imageId + "/" + v.kind().key() + "-" + sha256(v.bytes())
                        + "." + v.extension();
                storage.put(key, v.bytes(), v.contentType());
                written.add(key);
                variants.put(v.kind().key(), new ProductImage.Variant("/api/" + key, v.width(), v.height()));
            }
            return change(productId, ownerOnly, (tx, current) -> {
                if (current.size() >= settings.maxImages()) {
                    throw ApiException.conflict("A product has at most " + settings.maxImages() + " images");
                }
                ProductImage added = new ProductImage(imageId, current.size(), current.isEmpty(), source.width(), source.height(),
                        source.format(), variants);
                images.insert(tx, productId, added);
                return added;
            });
        } catch (RuntimeException e) {
            cleanup.deleteOrQueue(written); // written but never recorded: nothing points at them
            throw e;
        }
    }

    /**
     * Removes an image; its objects are recorded for deletion in the same transaction and deleted once it
     * commits (or by the image-cleanup job when that fails). The next image becomes primary when the primary goes.
     */
    public List<ProductImage> remove(UUID productId, UUID ownerOnly, UUID imageId) {
        List<List<ImageCleanup.Pending>> orphaned = new ArrayList<>(1);
        List<ProductImage> left = change(productId, ownerOnly, (tx, current) -> {
            ProductImage removed = find(current, imageId);
            images.delete(tx, imageId);
            orphaned.clear(); // a retried transaction starts again
            orphaned.add(cleanup.enqueue(tx, keysOf(removed)));
            List<ProductImage> rest = current.stream().filter(i -> !i.id().equals(imageId)).toList();
            UUID primary = removed.primary() ? (rest.isEmpty() ? null : rest.getFirst().id()) : primaryOf(rest);
            return place(tx, productId, rest.stream().map(ProductImage::id).toList(), rest, primary);
        });
        cleanup.deleteNow(orphaned.getFirst());
        return left;
    }

    /**
     * Inside the transaction that deletes a product: locks its row (an upload to it waits, so no image
     * added meanwhile is missed) and records all its image objects for deletion. Delete them with
     * {@code cleanup().deleteNow(..)} once the transaction commits. Empty when the product is gone or not
     * the caller's ({@code ownerOnly} null means an admin).
     */
    public List<ImageCleanup.Pending> orphanWithProduct(DbExecute tx, UUID productId, UUID ownerOnly) {
        if (images.lockProduct(tx, productId, ownerOnly).isEmpty()) {
            return List.of();
        }
        return cleanup.enqueue(tx, images.listIn(tx, productId).stream().flatMap(i -> keysOf(i).stream()).toList());
    }

    private static List<String> keysOf(ProductImage image) {
        return image.variants().values().stream().map(ProductImage.Variant::key).toList();
    }

    /** Puts the images in the given order: {@code imageIds} must name each of the product's images once. */
    public List<ProductImage> reorder(UUID productId, UUID ownerOnly, List<UUID> imageIds) {
        return change(productId, ownerOnly, (tx, current) -> {
            if (imageIds.size() != current.size() || imageIds.stream().distinct().count() != current.size()
                    || !current.stream().map(ProductImage::id).toList().containsAll(imageIds)) {
                throw ApiException.invalidField("imageIds", "must list each of the product's " + current.size() + " images exactly once");
            }
            return place(tx, productId, imageIds, current, primaryOf(current));
        });
    }

    public List<ProductImage> makePrimary(UUID productId, UUID ownerOnly, UUID imageId) {
        return change(productId, ownerOnly, (tx, current) -> {
            find(current, imageId);
            return place(tx, productId, current.stream().map(ProductImage::id).toList(), current, imageId);
        });
    }

    /** Draws and adds a picture for each of the vendor's products that has none (demo data); how many were added. */
    public int drawMissing(UUID vendorId) {
        if (storage == null) {
            return 0;
        }
        int added = 0;
        for (ImageRepository.Bare p : images.withoutImages(vendorId)) {
            add(p.id(), null, DemoImages.draw(p.id(), p.name(), p.categorySlug()));
            added++;
        }
        return added;
    }

    private interface Change<T> {
        T apply(DbExecute tx, List<ProductImage> current);
    }

    private <T> T change(UUID productId, UUID ownerOnly, Change<T> change) {
        T result = ctx.db().inTransaction(tx -> {
            if (images.lockProduct(tx, productId, ownerOnly).isEmpty()) {
                throw ApiException.notFound("Product"); // another vendor's product is not theirs to see here
            }
            T answer = change.apply(tx, images.listIn(tx, productId));
            images.refreshProduct(tx, productId);
            catalog.bumpVersion(tx);
            ctx.outbox().append(tx, "storefront.product.updated", catalog.productIn(tx, productId));
            return answer;
        });
        productChanged.accept(productId);
        return result;
    }

    private List<ProductImage> place(DbExecute tx, UUID productId, List<UUID> order, List<ProductImage> current, UUID primary) {
        List<ProductImage> placed = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            UUID id = order.get(i);
            placed.add(find(current, id).withPlace(i, id.equals(primary)));
        }
        images.place(tx, productId, placed);
        return placed;
    }

    private static UUID primaryOf(List<ProductImage> images) {
        return images.stream().filter(ProductImage::primary).map(ProductImage::id).findFirst()
                .orElse(images.isEmpty() ? null : images.getFirst().id());
    }

    private static ProductImage find(List<ProductImage> images, UUID imageId) {
        return images.stream().filter(i -> i.id().equals(imageId)).findFirst().orElseThrow(() -> ApiException.notFound("Image"));
    }

    private void acquire() {
        try {
            if (!decoding.tryAcquire(20, TimeUnit.SECONDS)) {
                throw ApiException.unavailable("Too many images are being processed; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("Interrupted");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
