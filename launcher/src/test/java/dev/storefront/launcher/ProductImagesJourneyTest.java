package dev.storefront.launcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Product images through the one-process platform: its embedded S3 (S3Proxy on a folder) holds the demo
 * catalog's drawn pictures and the vendor's uploads, served back through :8080 with immutable caching.
 */
class ProductImagesJourneyTest {
    private static PlatformFixture shop;
    private static final HttpClient raw = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        shop = new PlatformFixture(true, Map.of());
    }

    @AfterAll
    static void stop() {
        if (shop != null) {
            shop.close();
        }
    }

    private static HttpResponse<byte[]> fetch(String path) throws Exception {
        return raw.send(HttpRequest.newBuilder(URI.create(shop.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void demoProductsHaveDrawnPicturesAndTheDemoVendorUploadsMore() throws Exception {
        JsonNode products = shop.http.get("/api/products?limit=100", null).data();
        assertThat(products).hasSizeGreaterThan(50);
        for (JsonNode product : products) {
            assertThat(product.path("media")).as(product.path("name").asText()).hasSize(1);
        }
        JsonNode first = products.get(0);
        String card = first.path("media").get(0).path("variants").path("card").path("url").asText();
        HttpResponse<byte[]> image = fetch(card);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        assertThat(ImageIO.read(new java.io.ByteArrayInputStream(image.body())).getWidth()).isEqualTo(480);
        assertThat(first.path("images").get(0).asText()).endsWith(".jpg").startsWith("/api/products/"); // opaque: JPEG

        String vendor = shop.login("vendor@storefront.local", "vendor12345");
        java.io.ByteArrayOutputStream jpeg = new java.io.ByteArrayOutputStream();
        ImageIO.write(new java.awt.image.BufferedImage(640, 480, java.awt.image.BufferedImage.TYPE_INT_RGB), "jpg", jpeg);
        String boundary = "journey" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"side.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes());
        body.writeBytes(jpeg.toByteArray());
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes());
        var reply = shop.http.send("POST", "/api/products/" + first.path("id").asText() + "/images", vendor, body.toByteArray(),
                java.util.List.<String[]>of(new String[] {"Content-Type", "multipart/form-data; boundary=" + boundary}));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.data().path("primary").asBoolean()).isFalse();
        assertThat(fetch(reply.data().path("variants").path("thumb").path("url").asText()).statusCode()).isEqualTo(200);
        assertThat(shop.http.get("/api/products/" + first.path("id").asText(), null).data().path("media")).hasSize(2);
    }
}
