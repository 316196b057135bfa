package dev.storefront.catalog.images;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import dev.storefront.catalog.CatalogModule;
import dev.storefront.common.security.Role;
import dev.storefront.common.storage.EmbeddedS3;
import dev.storefront.common.testing.OpenApiContract;
import dev.storefront.common.testing.ServiceFixture;
import dev.storefront.common.testing.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Image upload against real PostgreSQL, NATS and the S3 API (S3Proxy on a temporary folder). */
class ProductImagesTest {
    static final EmbeddedS3 S3 = startS3();
    @RegisterExtension
    static final ServiceFixture<CatalogModule> CATALOG = ServiceFixture.of("catalog", CatalogModule::create)
            .set("storefront.catalog.images.s3.endpoint", S3.endpoint())
            .set("storefront.catalog.images.s3.bucket", "images-test")
            .set("storefront.catalog.images.s3.access-key", EmbeddedS3.ACCESS_KEY)
            .set("storefront.catalog.images.s3.secret-key", EmbeddedS3.SECRET_KEY)
            .set("storefront.catalog.images.s3.create-bucket", "true")
            .set("storefront.catalog.images.cleanup-seconds", "0"); // the tests drive the clean-up rounds
    private static final UUID VENDOR = UUID.randomUUID();
    private static final UUID OTHER_VENDOR = UUID.randomUUID();
    private static final TestHttp http = CATALOG.http();
    private static final HttpClient raw = HttpClient.newHttpClient();

    private static EmbeddedS3 startS3() {
        try {
            return EmbeddedS3.start(Files.createTempDirectory("catalog-images-s3"), 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stopS3() throws Exception {
        S3.close();
    }

    private static String vendor() {
        return CATALOG.token(VENDOR, Role.VENDOR);
    }

    private static UUID product() {
        TestHttp.Reply reply = http.post("/api/products", vendor(), Map.of("name", "Camera " + UUID.randomUUID(),
                "price", new java.math.BigDecimal("10.00")));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return UUID.fromString(reply.data().path("id").asText());
    }

    private static TestHttp.Reply upload(UUID product, String token, String filename, String type, byte[] bytes) {
        String boundary = "----sf" + UUID.randomUUID();
        return http.send("POST", "/api/products/" + product + "/images", token, TestImages.multipart(boundary, filename, type, bytes),
                List.<String[]>of(new String[] {"Content-Type", "multipart/form-data; boundary=" + boundary}));
    }

    private static HttpResponse<byte[]> fetch(String path) throws Exception {
        return raw.send(HttpRequest.newBuilder(URI.create(http.base() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static long objects(UUID product) {
        return CATALOG.module().gallery().storage().count("products/" + product + "/");
    }

    @Test
    void aJpegIsStoredAsThreeVariantsWithoutItsMetadataAndServedImmutable() throws Exception {
        UUID product = product();
        byte[] jpeg = TestImages.jpegWithExif(2400, 1600);
        assertThat(new String(jpeg, StandardCharsets.ISO_8859_1)).contains(TestImages.SECRET);

        TestHttp.Reply reply = upload(product, vendor(), "holiday.jpg", "image/jpeg", jpeg);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode image = reply.data();
        assertThat(image.path("primary").asBoolean()).isTrue();
        assertThat(image.path("width").asInt()).isEqualTo(2400);
        assertThat(image.path("sourceFormat").asText()).isEqualTo("jpeg");
        assertThat(image.path("variants").path("thumb").path("width").asInt()).isEqualTo(160);
        assertThat(image.path("variants").path("card").path("width").asInt()).isEqualTo(480);
        assertThat(image.path("variants").path("full").path("width").asInt()).isEqualTo(1600);
        assertThat(image.path("variants").path("full").path("height").asInt()).isEqualTo(1067);
        assertThat(objects(product)).isEqualTo(3);

        String fullUrl = image.path("variants").path("full").path("url").asText();
        HttpResponse<byte[]> file = fetch(fullUrl);
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(new String(file.body(), StandardCharsets.ISO_8859_1)).doesNotContain("Exif").doesNotContain("GPS 52");
        assertThat(ImageIO.read(new ByteArrayInputStream(file.body())).getWidth()).isEqualTo(1600);
        String etag = file.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = raw.send(HttpRequest.newBuilder(URI.create(http.base() + fullUrl)).header("If-None-Match", etag).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(again.statusCode()).isEqualTo(304);

        JsonNode shown = http.get("/api/products/" + product, null).data();
        assertThat(shown.path("media")).hasSize(1);
        assertThat(shown.path("media").get(0).path("variants").path("card").path("url").asText()).startsWith("/api/products/" + product);
        assertThat(shown.path("images").get(0).asText()).isEqualTo(fullUrl);
    }

    @Test
    void pngWithTransparencyStaysPngAndWebpIsReadByContent() throws Exception {
        UUID product = product();
        TestHttp.Reply png = upload(product, vendor(), "logo.png", "image/png", TestImages.png(300, 200, true));
        assertThat(png.status()).as(png.toString()).isEqualTo(201);
        assertThat(png.data().path("variants").path("card").path("url").asText()).endsWith(".png");
        assertThat(png.data().path("variants").path("card").path("width").asInt()).isEqualTo(300); // never scaled up

        // named and declared as something else: the content decides
        TestHttp.Reply lossy = upload(product, vendor(), "photo.txt", "application/octet-stream", TestImages.WEBP_LOSSY);
        assertThat(lossy.status()).as(lossy.toString()).isEqualTo(201);
        assertThat(lossy.data().path("sourceFormat").asText()).isEqualTo("webp");
        TestHttp.Reply lossless = upload(product, vendor(), "x.webp", "image/webp", TestImages.WEBP_LOSSLESS);
        assertThat(lossless.status()).as(lossless.toString()).isEqualTo(201);
        assertThat(fetch(lossless.data().path("variants").path("thumb").path("url").asText()).statusCode()).isEqualTo(200);
    }

    @Test
    void badFilesAreRefusedNamingTheReasonAndNothingIsStored() throws Exception {
        UUID product = product();
        record Bad(String name, String type, byte[] bytes, int status, String says) {
        }
        byte[] png = TestImages.png(64, 64, false);
        List<Bad> bad = List.of(
                new Bad("script.jpg", "image/jpeg", "#!/bin/sh\nrm -rf / --no-preserve-root\n".getBytes(StandardCharsets.UTF_8), 415,
                        "not a JPEG, PNG or WebP"),
                new Bad("bomb.png", "image/png", TestImages.pngBomb(), 422, "20000x20000"),
                new Bad("huge.jpg", "image/jpeg", new byte[11 * 1024 * 1024], 413, "larger than 10 MB"),
                new Bad("empty.jpg", "image/jpeg", new byte[0], 400, "empty"),
                new Bad("anim.gif", "image/gif", TestImages.gif(), 415, "GIF"),
                new Bad("cut.png", "image/png", java.util.Arrays.copyOf(png, png.length / 2), 422, "could not be decoded"));
        for (Bad b : bad) {
            TestHttp.Reply reply = upload(product, vendor(), b.name(), b.type(), b.bytes());
            assertThat(reply.status()).as(b.name() + ": " + reply).isEqualTo(b.status());
            assertThat(reply.body().toString()).as(b.name()).contains(b.says());
        }
        assertThat(CATALOG.count("SELECT count(*) FROM product_images WHERE product_id = ?", product)).isZero();
        assertThat(objects(product)).isZero();
        assertThat(http.get("/api/products/" + product, null).data().path("media")).isEmpty();
    }

    @Test
    void onlyTheVendorOrAnAdminMayChangeImagesAndAnotherVendorSeesNoProduct() {
        UUID product = product();
        byte[] jpeg = TestImages.jpeg(100, 100);
        assertThat(upload(product, CATALOG.token(OTHER_VENDOR, Role.VENDOR), "a.jpg", "image/jpeg", jpeg).status()).isEqualTo(404);
        assertThat(upload(product, CATALOG.token(UUID.randomUUID(), Role.CUSTOMER), "a.jpg", "image/jpeg", jpeg).status()).isEqualTo(403);
        assertThat(upload(product, null, "a.jpg", "image/jpeg", jpeg).status()).isEqualTo(401);
        assertThat(upload(UUID.randomUUID(), vendor(), "a.jpg", "image/jpeg", jpeg).status()).isEqualTo(404);
        TestHttp.Reply byAdmin = upload(product, CATALOG.admin(), "a.jpg", "image/jpeg", jpeg);
        assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(201);
        String imageId = byAdmin.data().path("id").asText();
        assertThat(http.delete("/api/products/" + product + "/images/" + imageId, CATALOG.token(OTHER_VENDOR, Role.VENDOR)).status())
                .isEqualTo(404);
        assertThat(http.put("/api/products/" + product + "/images/" + imageId + "/primary", CATALOG.token(OTHER_VENDOR, Role.VENDOR),
                Map.of()).status()).isEqualTo(404);
        assertThat(objects(product)).isEqualTo(3);
    }

    @Test
    void imagesAreReorderedGivenAPrimaryAndDeletedWithTheirObjects() throws Exception {
        UUID product = product();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TestHttp.Reply reply = upload(product, vendor(), i + ".jpg", "image/jpeg", TestImages.jpeg(200 + i, 150));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            ids.add(reply.data().path("id").asText());
        }
        String base = "/api/products/" + product + "/images";
        TestHttp.Reply reordered = http.put(base + "/order", vendor(), Map.of("imageIds", List.of(ids.get(2), ids.get(0), ids.get(1))));
        assertThat(reordered.status()).as(reordered.toString()).isEqualTo(200);
        assertThat(reordered.data().get(0).path("id").asText()).isEqualTo(ids.get(2));
        assertThat(http.put(base + "/order", vendor(), Map.of("imageIds", List.of(ids.get(0)))).firstErrorField()).isEqualTo("imageIds");

        TestHttp.Reply primary = http.put(base + "/" + ids.get(1) + "/primary", vendor(), Map.of());
        assertThat(primary.status()).as(primary.toString()).isEqualTo(200);
        JsonNode shown = http.get("/api/products/" + product, null).data();
        assertThat(shown.path("media").get(2).path("primary").asBoolean()).isTrue();
        assertThat(shown.path("images").get(0).asText()).contains(ids.get(1));

        String deletedUrl = shown.path("media").get(2).path("variants").path("full").path("url").asText();
        TestHttp.Reply deleted = http.delete(base + "/" + ids.get(1), vendor());
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.data().path("images")).hasSize(2);
        assertThat(deleted.data().path("images").get(0).path("primary").asBoolean()).isTrue(); // the first one left
        assertThat(objects(product)).isEqualTo(6);
        assertThat(fetch(deletedUrl).statusCode()).isEqualTo(404);
        assertThat(http.delete(base + "/" + ids.get(1), vendor()).status()).isEqualTo(404);
        assertThat(http.get(base, null).data()).hasSize(2);
    }

    @Test
    void demoPicturesAreDrawnAndStoredThroughTheUploadPathOncePerProduct() throws Exception {
        UUID drawingVendor = UUID.randomUUID();
        List<UUID> products = new ArrayList<>();
        for (String name : List.of("Espresso Machine", "Trail Running Shoes")) {
            TestHttp.Reply reply = http.post("/api/products", CATALOG.token(drawingVendor, Role.VENDOR), Map.of("name", name,
                    "price", new java.math.BigDecimal("20.00")));
            products.add(UUID.fromString(reply.data().path("id").asText()));
        }
        assertThat(CATALOG.module().gallery().drawMissing(drawingVendor)).isEqualTo(2);
        assertThat(CATALOG.module().gallery().drawMissing(drawingVendor)).isZero();

        JsonNode image = http.get("/api/products/" + products.get(0), null).data().path("media").get(0);
        assertThat(image.path("sourceFormat").asText()).isEqualTo("png");
        assertThat(image.path("width").asInt()).isEqualTo(800);
        HttpResponse<byte[]> card = fetch(image.path("variants").path("card").path("url").asText());
        assertThat(card.statusCode()).isEqualTo(200);
        java.awt.image.BufferedImage picture = ImageIO.read(new ByteArrayInputStream(card.body()));
        assertThat(picture.getWidth()).isEqualTo(480);
        // a drawn picture, not a flat tile: the centre (the object) differs from the corner (the background)
        assertThat(picture.getRGB(240, 240)).isNotEqualTo(picture.getRGB(5, 5));
    }

    @Test
    void aPortraitTakenTurnedIsStoredUprightWithoutItsExif() throws Exception {
        // the sensor's pixels: landscape 300x200, a red block in the stored top-left corner; EXIF 6 says
        // "turn a quarter clockwise to view", so upright it is a 200x300 portrait with the block top-right
        java.awt.image.BufferedImage stored = TestImages.picture(300, 200, false);
        java.awt.Graphics2D g = stored.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, 300, 200);
        g.setColor(java.awt.Color.RED);
        g.fillRect(0, 0, 60, 60);
        g.dispose();
        byte[] jpeg = TestImages.jpegWithOrientation(stored, 6);
        UUID product = product();

        TestHttp.Reply reply = upload(product, vendor(), "portrait.jpg", "image/jpeg", jpeg);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.data().path("width").asInt()).isEqualTo(200);
        assertThat(reply.data().path("height").asInt()).isEqualTo(300);
        JsonNode full = reply.data().path("variants").path("full");
        assertThat(full.path("width").asInt()).isEqualTo(200);
        assertThat(full.path("height").asInt()).isEqualTo(300);
        assertThat(reply.data().path("variants").path("thumb").path("height").asInt()).isEqualTo(160);
        HttpResponse<byte[]> file = fetch(full.path("url").asText());
        assertThat(new String(file.body(), StandardCharsets.ISO_8859_1)).doesNotContain("Exif"); // nothing left to turn it twice
        java.awt.image.BufferedImage upright = ImageIO.read(new ByteArrayInputStream(file.body()));
        assertThat(upright.getWidth()).isEqualTo(200);
        assertThat(upright.getHeight()).isEqualTo(300);
        assertThat(isRed(upright.getRGB(200 - 20, 20))).as("top right is the red block").isTrue();
        assertThat(isRed(upright.getRGB(20, 20))).as("top left").isFalse();
        assertThat(isRed(upright.getRGB(200 - 20, 300 - 20))).as("bottom right").isFalse();
    }

    private static boolean isRed(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return r > 200 && g < 60 && b < 60; // JPEG shifts colours a little
    }

    private static long deletionsUnder(UUID product) {
        return CATALOG.count("SELECT count(*) FROM image_object_deletions WHERE object_key LIKE ?", "products/" + product + "/%");
    }

    @Test
    void deletingAProductDeletesItsImageObjectsOnceTheDeleteCommits() {
        UUID product = product();
        for (int i = 0; i < 2; i++) {
            assertThat(upload(product, vendor(), i + ".png", "image/png", TestImages.png(120 + i, 90, false)).status()).isEqualTo(201);
        }
        assertThat(objects(product)).isEqualTo(6);
        // another vendor may not, and nothing is touched when they try
        assertThat(http.delete("/api/products/" + product, CATALOG.token(OTHER_VENDOR, Role.VENDOR)).status()).isIn(403, 404);
        assertThat(objects(product)).isEqualTo(6);
        assertThat(deletionsUnder(product)).isZero();

        TestHttp.Reply deleted = http.delete("/api/products/" + product, vendor());

        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(objects(product)).isZero();
        assertThat(deletionsUnder(product)).as("the recorded deletions are done and cleared").isZero();
        assertThat(CATALOG.count("SELECT count(*) FROM product_images WHERE product_id = ?", product)).isZero();
    }

    @Test
    void objectsOfADeleteCommittedJustBeforeACrashAreDeletedByTheCleanupJob() {
        UUID product = product();
        assertThat(upload(product, vendor(), "a.jpg", "image/jpeg", TestImages.jpeg(200, 100)).status()).isEqualTo(201);
        ImageGallery gallery = CATALOG.module().gallery();
        // the delete's transaction, committed; the process dies before the objects are deleted
        CATALOG.context().db().inTransaction(tx -> {
            List<ImageCleanup.Pending> orphaned = gallery.orphanWithProduct(tx, product, null);
            assertThat(orphaned).hasSize(3);
            tx.dml("DELETE FROM products WHERE id = ?", product);
            return orphaned;
        });
        assertThat(objects(product)).isEqualTo(3);
        assertThat(deletionsUnder(product)).isEqualTo(3);
        assertThat(CATALOG.count("SELECT count(*) FROM image_object_deletions WHERE object_key LIKE ? AND next_attempt_at > now()",
                "products/" + product + "/%")).as("not due at once: the request deletes them itself").isEqualTo(3);

        // a later start: the job (here on a 100 ms schedule) finds them due and deletes them
        CATALOG.sql("UPDATE image_object_deletions SET next_attempt_at = now() WHERE object_key LIKE 'products/" + product + "/%'");
        try (var job = new ImageCleanup(CATALOG.context().db(), gallery.storage(), java.time.Duration.ofMillis(100)).job().start()) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> objects(product) == 0 && deletionsUnder(product) == 0);
        }
    }

    @Test
    void aDeleteTheStoreRefusesIsKeptAndRetriedWithAGrowingPause() throws Exception {
        UUID product = product();
        assertThat(upload(product, vendor(), "a.jpg", "image/jpeg", TestImages.jpeg(200, 100)).status()).isEqualTo(201);
        CATALOG.context().db().inTransaction(tx -> {
            List<ImageCleanup.Pending> orphaned = gallery().orphanWithProduct(tx, product, null);
            tx.dml("DELETE FROM products WHERE id = ?", product);
            return orphaned;
        });
        String due = "UPDATE image_object_deletions SET next_attempt_at = now() WHERE object_key LIKE 'products/" + product + "/%'";
        CATALOG.sql(due);
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ImageSettings unreachable = new ImageSettings(java.util.Optional.of(URI.create("http://127.0.0.1:" + closedPort)), "us-east-1",
                "images-test", true, EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, false, "", 0, 1024, 100, 10_000, 1,
                java.time.Duration.ZERO);
        try (ObjectStorage down = new ObjectStorage(unreachable)) {
            new ImageCleanup(CATALOG.context().db(), down, java.time.Duration.ZERO).round();
        }
        assertThat(CATALOG.count("SELECT count(*) FROM image_object_deletions WHERE object_key LIKE ? AND attempts = 1 "
                + "AND last_error IS NOT NULL AND next_attempt_at > now() + interval '50 seconds'", "products/" + product + "/%"))
                .as("kept, with the error, paused a minute").isEqualTo(3);
        assertThat(objects(product)).isEqualTo(3);

        CATALOG.sql(due); // a minute later
        gallery().cleanup().round();
        assertThat(deletionsUnder(product)).isZero();
        assertThat(objects(product)).isZero();
        assertThat(ImageCleanup.pauseAfter(1)).hasMinutes(1);
        assertThat(ImageCleanup.pauseAfter(4)).hasMinutes(8);
        assertThat(ImageCleanup.pauseAfter(30)).hasHours(6);
    }

    private static ImageGallery gallery() {
        return CATALOG.module().gallery();
    }

    @Test
    void openApiDocumentMatchesTheRoutes() {
        OpenApiContract.assertMatches(CATALOG.module());
    }
}
