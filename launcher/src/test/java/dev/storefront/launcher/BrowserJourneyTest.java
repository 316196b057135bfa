package dev.storefront.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web UI in a real browser: starts the platform with a fresh database and demo data, then
 * runs the Playwright journeys of services/web (headless Debian Chromium) against it. They fail
 * on any console error or failed request and leave screenshots in services/web/target/screenshots.
 */
class BrowserJourneyTest {
    private static final Path WEB = Path.of("..", "services", "web").toAbsolutePath().normalize();

    @Test
    void shopperAndAdminJourneysPassInChromium() throws Exception {
        assertThat(new File("/usr/bin/chromium")).as("Debian chromium (apt-get install -y chromium)").exists();
        assertThat(WEB.resolve("node_modules")).as("services/web was built (npm ci)").exists();
        try (PlatformFixture shop = new PlatformFixture(true, Map.of())) {
            DemoStock.seed(shop.baseUrl(), "admin@storefront.local", "admin12345");
            Path log = Files.createDirectories(WEB.resolve("target")).resolve("e2e.log");
            ProcessBuilder builder = new ProcessBuilder(List.of("npm", "run", "e2e"))
                    .directory(WEB.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("BASE_URL", shop.baseUrl());
            Process e2e = builder.start();
            e2e.getOutputStream().close();
            boolean finished = e2e.waitFor(8, TimeUnit.MINUTES);
            if (!finished) {
                e2e.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(finished).as("e2e finished in time:\n" + tail(output)).isTrue();
            assertThat(e2e.exitValue()).as("npm run e2e:\n" + tail(output)).isZero();
        }
    }

    private static String tail(String text) {
        return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
    }
}
