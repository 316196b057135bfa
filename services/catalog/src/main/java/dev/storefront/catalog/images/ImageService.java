package dev.storefront.catalog.images;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.storefront.catalog.CatalogRepository;
import dev.storefront.common.ServiceContext;
import dev.storefront.common.security.Principal;
import dev.storefront.common.security.Role;
import dev.storefront.common.web.ApiException;
import dev.storefront.common.web.Bodies;
import dev.storefront.common.web.Params;
import dev.storefront.common.web.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Product image routes under /api/products: the gallery of a product (public), upload, delete, reorder
 * and primary (the product's vendor or an admin; another vendor's product is 404), and the image files
 * themselves, streamed from the object store with immutable cache headers or redirected to a CDN or a
 * presigned URL when configured.
 */
public final class ImageService implements HttpService {
    /** Variant objects never change (their keys name their content). */
    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final Pattern FILE = Pattern.compile("(thumb|card|full)-([0-9a-f]{32})\\.(jpg|png)");

    private final ServiceContext ctx;
    private final CatalogRepository catalog;
    private final ImageGallery gallery;

    /** The order of a product's images. */
    public record OrderBody(List<UUID> imageIds) {
    }

    public ImageService(ServiceContext ctx, CatalogRepository catalog, ImageGallery gallery) {
        this.ctx = ctx;
        this.catalog = catalog;
        this.gallery = gallery;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}/images", this::list)
                .post("/{id}/images", this::upload)
                .put("/{id}/images/order", this::reorder)
                .put("/{id}/images/{imageId}/primary", this::primary)
                .delete("/{id}/images/{imageId}", this::delete)
                .get("/{id}/images/{imageId}/{file}", this::file);
    }

    private void list(ServerRequest req, ServerResponse res) {
        UUID id = Params.pathId(req, "id", "Product");
        if (catalog.vendorOf(id).isEmpty()) {
            throw ApiException.notFound("Product");
        }
        Responses.ok(res, gallery.list(id));
    }

    private void upload(ServerRequest req, ServerResponse res) {
        UUID owner = owner(req);
        UUID id = Params.pathId(req, "id", "Product");
        checkOwned(id, owner); // before reading 10 MB for nothing
        if (gallery.storage() == null) {
            throw ApiException.unavailable("Image storage is not configured (storefront.catalog.images.s3.bucket)");
        }
        UploadedFile file = MultipartUpload.read(req, gallery.settings().maxBytes());
        Responses.created(res, gallery.add(id, owner, file.bytes()));
    }

    private void reorder(ServerRequest req, ServerResponse res) {
        UUID owner = owner(req);
        UUID id = Params.pathId(req, "id", "Product");
        OrderBody body = Bodies.read(req, OrderBody.class);
        if (body.imageIds() == null || body.imageIds().contains(null)) {
            throw ApiException.invalidField("imageIds", "is required: the product's image ids in their new order");
        }
        Responses.ok(res, gallery.reorder(id, owner, body.imageIds()));
    }

    private void primary(ServerRequest req, ServerResponse res) {
        UUID owner = owner(req);
        UUID id = Params.pathId(req, "id", "Product");
        UUID imageId = Params.pathId(req, "imageId", "Image");
        Responses.ok(res, gallery.makePrimary(id, owner, imageId));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        UUID owner = owner(req);
        UUID id = Params.pathId(req, "id", "Product");
        UUID imageId = Params.pathId(req, "imageId", "Image");
        Responses.ok(res, Map.of("id", imageId, "deleted", true, "images", gallery.remove(id, owner, imageId)));
    }

    private void file(ServerRequest req, ServerResponse res) throws IOException {
        UUID id = Params.pathId(req, "id", "Product");
        UUID imageId = Params.pathId(req, "imageId", "Image");
        Matcher m = FILE.matcher(req.path().pathParameters().get("file"));
        if (!m.matches() || gallery.storage() == null) {
            throw ApiException.notFound("Image");
        }
        String key = "products/" + id + "/images/" + imageId + "/" + m.group();
        ImageSettings settings = gallery.settings();
        if (!settings.publicBaseUrl().isEmpty()) {
            res.status(Status.MOVED_PERMANENTLY_301).header(HeaderNames.LOCATION, settings.publicBaseUrl() + "/" + key)
                    .header(HeaderNames.CACHE_CONTROL, IMMUTABLE).send();
            return;
        }
        if (settings.presignSeconds() > 0) {
            res.status(Status.FOUND_302).header(HeaderNames.LOCATION,
                    gallery.storage().presignedUrl(key, Duration.ofSeconds(settings.presignSeconds()))).send();
            return;
        }
        String etag = "\"" + m.group(2) + "\"";
        res.header(HeaderNames.CACHE_CONTROL, IMMUTABLE).header(HeaderNames.ETAG, etag);
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(v -> v.contains(etag)).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        var object = gallery.storage().get(key).orElseThrow(() -> ApiException.notFound("Image"));
        try (object) {
            res.header(HeaderNames.CONTENT_TYPE, m.group(3).equals("png") ? "image/png" : "image/jpeg");
            res.send(object.readAllBytes());
        }
    }

    /** The caller's id when a vendor (only their own products), null for an admin. */
    private UUID owner(ServerRequest req) {
        Principal caller = ctx.authz().role(req, Role.ADMIN, Role.VENDOR);
        return caller.isAdmin() ? null : caller.userId();
    }

    private void checkOwned(UUID productId, UUID owner) {
        UUID vendor = catalog.vendorOf(productId).orElseThrow(() -> ApiException.notFound("Product"));
        if (owner != null && !owner.equals(vendor)) {
            throw ApiException.notFound("Product");
        }
    }
}
