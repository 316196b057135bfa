package dev.storefront.operator;

import java.util.Arrays;

import dev.storefront.common.ServiceDefinition;
import dev.storefront.common.ServiceRegistry;
import dev.storefront.operator.dependent.DeploymentsDependent;
import dev.storefront.operator.model.ShopService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's service table says what the kit's registry says: names, order, prefixes, port, backends. */
class ServiceTableDriftTest {

    @Test
    void shopServicesAreTheRegistrysServicesInItsOrder() {
        assertThat(Arrays.stream(ShopService.values()).map(ShopService::id).toList())
                .isEqualTo(ServiceRegistry.all().stream().map(ServiceDefinition::name).toList());
    }

    @Test
    void everyServiceRoutesTheRegistrysPublicPrefixesAndOwnsADatabaseExactlyWhenItIsABackend() {
        for (ShopService service : ShopService.values()) {
            ServiceDefinition definition = ServiceRegistry.of(service.id());
            assertThat(service.publicPaths()).as(service.id()).isEqualTo(definition.publicPrefixes());
            assertThat(service.isBackend()).as(service.id()).isEqualTo(definition.backend());
            assertThat(service.publicPaths()).as(service.id()).noneMatch(p -> p.startsWith("/internal"));
        }
    }

    @Test
    void podsListenOnTheRegistrysClusterPortAndStopWithinTheirGracePeriod() {
        assertThat(ShopService.PORT).isEqualTo(ServiceRegistry.CLUSTER_PORT);
        // the process's own bound is GracefulShutdown's default; preStop and the bound fit in the grace period
        assertThat(ServiceEnvironment.SHUTDOWN_TIMEOUT_SECONDS).isEqualTo(25);
        assertThat(DeploymentsDependent.TERMINATION_GRACE_SECONDS)
                .isGreaterThan(DeploymentsDependent.PRE_STOP_SLEEP_SECONDS + ServiceEnvironment.SHUTDOWN_TIMEOUT_SECONDS);
    }
}
