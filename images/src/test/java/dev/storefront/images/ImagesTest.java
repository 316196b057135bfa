package dev.storefront.images;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What every runnable module's image is, from its own tarball (target/jib-image.tar). */
class ImagesTest {
    private static final Map<String, String> MAIN_CLASSES = Map.ofEntries(
            Map.entry("services/auth", "dev.storefront.auth.Main"),
            Map.entry("services/catalog", "dev.storefront.catalog.Main"),
            Map.entry("services/inventory", "dev.storefront.inventory.Main"),
            Map.entry("services/cart", "dev.storefront.cart.Main"),
            Map.entry("services/order", "dev.storefront.order.Main"),
            Map.entry("services/checkout", "dev.storefront.checkout.Main"),
            Map.entry("services/payment", "dev.storefront.payment.Main"),
            Map.entry("services/notify", "dev.storefront.notify.Main"),
            Map.entry("services/analytics", "dev.storefront.analytics.Main"),
            Map.entry("services/search", "dev.storefront.search.Main"),
            Map.entry("services/web", "dev.storefront.web.Main"),
            Map.entry("operator", "dev.storefront.operator.Main"));

    private static Map<String, OciImage> images;

    @BeforeAll
    static void read() throws Exception {
        images = Images.all();
    }

    @Test
    void everyRunnableModuleHasANonRootImageWithItsOwnMainClassContainerJvmOptionsAndLabels() {
        assertThat(images.keySet()).containsExactlyElementsOf(Images.MODULES);
        images.forEach((module, image) -> {
            String artifact = "storefront-" + Path.of(module).getFileName();
            assertThat(image.name()).as(module)
                    .isEqualTo(System.getProperty("image.registry") + "/" + artifact + ":" + System.getProperty("image.tag"));
            assertThat(image.user()).as(module).isEqualTo("65532:65532");
            assertThat(image.workingDir()).as(module).isEqualTo("/app");
            assertThat(image.entrypoint()).as(module).startsWith("java")
                    .contains("-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp")
                    .endsWith(MAIN_CLASSES.get(module));
            assertThat(image.labels()).as(module)
                    .containsEntry("org.opencontainers.image.version", System.getProperty("storefront.version"))
                    .containsKeys("org.opencontainers.image.source", "org.opencontainers.image.revision",
                            "org.opencontainers.image.licenses");
            assertThat(image.env()).as(module).containsEntry("JAVA_HOME", "/opt/java");
            System.out.printf(Locale.ROOT, "[images] %-55s %6.1f MB compressed, %d layers, %s%n", image.name(),
                    image.compressedBytes() / 1e6, image.layers().size(), image.digest());
        });
        // one base for all: the services share their bottom layer (the jlink runtime)
        assertThat(images.values().stream().map(i -> i.layers().getFirst()).distinct()).hasSize(1);
    }

    @Test
    void theSameInputGivesTheSameDigest() throws Exception {
        for (String module : Images.MODULES) {
            Path target = Images.repoRoot().resolve(module).resolve("target");
            Path rebuilt = target.resolve("jib-image-rebuilt.digest");
            assertThat(rebuilt).as(module + ": mvn verify rebuilds every image with an empty layer cache "
                    + "(execution image-tar-rebuild); run the module's verify first").isRegularFile();
            String first = Files.readString(target.resolve("jib-image.digest")).trim();
            String second = Files.readString(rebuilt).trim();
            assertThat(second).as(module).isEqualTo(first).isEqualTo(images.get(module).digest());
        }
    }
}
