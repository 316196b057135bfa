package dev.storefront.launcher;

import dev.storefront.web.WebModule;
import io.helidon.webserver.http.HttpRouting;

/** Mounts the web UI (services/web) at "/" next to /api. */
final class WebUi {
    private WebUi() {
    }

    static void mount(HttpRouting.Builder routing) {
        WebModule.register(routing);
    }
}
