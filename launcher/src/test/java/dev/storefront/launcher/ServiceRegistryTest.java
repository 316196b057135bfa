package dev.storefront.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.storefront.common.BackgroundJob;
import dev.storefront.common.ServiceDefinition;
import dev.storefront.common.ServiceModule;
import dev.storefront.common.ServiceRegistry;
import dev.storefront.common.events.EventHandler;
import dev.storefront.web.WebModule;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kit's {@link ServiceRegistry} is the one list of what each service is: the launcher's services,
 * its gateway's routes, the web module's reserved prefixes, the docs' table and every module's own
 * event handlers and jobs must say the same (the operator's table is checked in the operator's tests).
 */
class ServiceRegistryTest {

    @Test
    void theLauncherRunsExactlyTheRegistrysBackendsInItsOrder() {
        assertThat(List.of(Services.values()).stream().map(Services::id).toList())
                .isEqualTo(ServiceRegistry.backends().stream().map(ServiceDefinition::name).toList());
        for (Services service : Services.values()) {
            assertThat(service.splitPort).isEqualTo(service.definition().splitPort());
            assertThat(service.mainClass()).isEqualTo("dev.storefront." + service.id() + ".Main");
        }
    }

    @Test
    void theGatewayRoutesEveryPublicPrefixToItsServiceAndNoInternalOne() {
        Map<Services, Integer> ports = new LinkedHashMap<>();
        for (Services service : Services.values()) {
            ports.put(service, 9000 + service.ordinal());
        }
        Map<String, Integer> routes = Gateway.routeTable(ports);
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (ServiceDefinition definition : ServiceRegistry.backends()) {
            definition.publicPrefixes().forEach(p -> expected.put(p, ports.get(Services.valueOf(definition.name().toUpperCase()))));
        }
        assertThat(routes).isEqualTo(expected);
        assertThat(routes.keySet()).allMatch(prefix -> prefix.startsWith("/api/") || prefix.startsWith("/ai/"));
    }

    @Test
    void theWebModuleLeavesTheRegistrysReservedPrefixesAlone() {
        assertThat(WebModule.RESERVED_PREFIXES).containsExactlyInAnyOrderElementsOf(
                ServiceRegistry.RESERVED_PREFIXES.stream().map(p -> p.substring(1)).toList());
        for (ServiceDefinition definition : ServiceRegistry.backends()) {
            for (String prefix : concat(definition.publicPrefixes(), definition.internalPrefixes())) {
                assertThat(ServiceRegistry.RESERVED_PREFIXES).as(prefix).anyMatch(reserved -> prefix.startsWith(reserved + "/"));
            }
        }
    }

    @Test
    void theDocsTableIsTheRegistry() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "contracts.md"));
        String table = docsTable();
        assertThat(docs).as("docs/contracts.md must hold this table (generated from ServiceRegistry):%n%s", table).contains(table);
    }

    /** Every module subscribes the handler classes and runs the jobs its registry entry names, no more. */
    @Test
    void everyModuleDeclaresTheHandlersAndJobsOfItsRegistryEntry() {
        try (PlatformFixture shop = new PlatformFixture(false, Map.of())) {
            for (ServiceModule module : shop.platform.modules()) {
                ServiceDefinition definition = module.definition();
                Map<String, String> handlers = new LinkedHashMap<>();
                for (EventHandler handler : module.eventHandlers()) {
                    assertThat(handler.getClass().getPackageName()).isEqualTo("dev.storefront." + module.name());
                    handler.types().forEach(type -> handlers.put(type, handler.getClass().getSimpleName()));
                }
                assertThat(handlers).as(module.name()).containsExactlyInAnyOrderEntriesOf(definition.consumes());
                assertThat(module.jobs().stream().map(BackgroundJob::name).toList()).as(module.name())
                        .containsExactlyInAnyOrderElementsOf(definition.jobs());
                assertThat(module.context().relay().started()).as(module.name() + " runs a relay")
                        .isEqualTo(definition.publishesEvents());
                assertThat(module.jobs()).allMatch(BackgroundJob::started);
            }
        }
    }

    static String docsTable() {
        StringBuilder out = new StringBuilder();
        out.append("| service | split port | public prefixes | internal prefixes | publishes events | consumes (handler) | jobs |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (ServiceDefinition d : ServiceRegistry.all()) {
            Map<String, List<String>> byHandler = new LinkedHashMap<>();
            d.consumes().forEach((type, handler) -> byHandler.computeIfAbsent(handler, h -> new ArrayList<>())
                    .add(type.replaceFirst("^storefront\\.", "")));
            List<String> consumes = byHandler.entrySet().stream()
                    .map(e -> String.join(", ", e.getValue()) + " (" + e.getKey() + ")").toList();
            out.append("| ").append(d.name())
                    .append(" | ").append(d.splitPort())
                    .append(" | ").append(String.join(", ", d.publicPrefixes()))
                    .append(" | ").append(orDash(d.internalPrefixes()))
                    .append(" | ").append(d.publishesEvents() ? "yes" : "no")
                    .append(" | ").append(orDash(consumes))
                    .append(" | ").append(orDash(d.jobs()))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String orDash(List<String> values) {
        return values.isEmpty() ? "–" : String.join(", ", values);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.stream().filter(Objects::nonNull).toList();
    }
}
