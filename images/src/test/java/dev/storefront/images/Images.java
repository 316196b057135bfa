package dev.storefront.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The images the build produced ({@code <module>/target/jib-image.tar}), by the name Jib gave them: the node's image store. */
final class Images {
    /** Every runnable module, as the issue lists them: the nine services, web and the operator. */
    static final List<String> MODULES = List.of("services/auth", "services/catalog", "services/inventory", "services/cart",
            "services/order", "services/checkout", "services/payment", "services/notify", "services/analytics", "services/search", "services/web", "operator");

    private Images() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("storefront.repo.root", "..")).toAbsolutePath().normalize();
    }

    static Path tar(String module) {
        return repoRoot().resolve(module).resolve("target/jib-image.tar");
    }

    /** module -> image, in {@link #MODULES} order. */
    static Map<String, OciImage> all() throws IOException {
        var images = new LinkedHashMap<String, OciImage>();
        for (String module : MODULES) {
            Path tar = tar(module);
            if (!Files.isRegularFile(tar)) {
                throw new IOException(tar + " is missing: the module's package phase (Jib buildTar) did not run");
            }
            images.put(module, OciImage.read(tar));
        }
        return images;
    }

    static Path roots() throws IOException {
        return Files.createDirectories(Path.of("target/roots").toAbsolutePath());
    }
}
