package dev.storefront.operator;

import dev.storefront.operator.dependent.CnpgCluster;
import dev.storefront.operator.dependent.GenericChildren;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request the operator sends to a real API server for a CloudNativePG Cluster: server-side apply under its own
 * field manager, forced, carrying only the fields it owns. (The CRUD mock the operator tests use cannot answer
 * server-side apply, so this checks the request itself against an expectation.)
 */
class GenericChildrenTest {
    private KubernetesMockServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(false);
        server.init();
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void theClusterIsServerSideAppliedWithTheOperatorsFieldManagerAndOnlyItsFields() throws Exception {
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        sf.getMetadata().setNamespace("cnpg");
        sf.getMetadata().setUid("0f6b7c1e-0000-4000-8000-000000000001");
        sf.getSpec().database.mode = StorefrontSpec.DatabaseMode.CloudNativePG;
        String path = "/apis/postgresql.cnpg.io/v1/namespaces/cnpg/clusters/shop-db?fieldManager=storefront-operator&force=true";
        server.expect().patch().withPath(path)
                .andReturn(200, "{\"apiVersion\":\"postgresql.cnpg.io/v1\",\"kind\":\"Cluster\",\"metadata\":{\"name\":\"shop-db\"}}")
                .once();

        var applied = GenericChildren.applyOwnedFields(client, sf, CnpgCluster.GVK, "shop-db", CnpgCluster.desired(sf),
                false, true);

        assertThat(applied.getMetadata().getName()).isEqualTo("shop-db");
        var request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo(path);
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        String body = request.getBody().readUtf8();
        assertThat(body).contains("instances").contains("managed").contains("passwordSecret").contains("storage")
                // not the operator's: left to their owners; no null either (that would claim the field)
                .doesNotContain("enableSuperuserAccess").doesNotContain("backup").doesNotContain("monitoring")
                .doesNotContain("imageName").doesNotContain("storageClass").doesNotContain("ownerReferences");
    }
}
