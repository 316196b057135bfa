package dev.storefront.operator;

import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of the user's Secrets a Storefront names, so that their change reconciles it (OperatorDataSafetyTest runs it). */
class ReferencedSecretsTest {

    @Test
    void everySecretTheSpecNamesIsReferencedAndNothingElse() {
        var sf = new Storefront();
        sf.getMetadata().setName("shop");
        assertThat(ReferencedSecrets.names(sf)).as("in-cluster database and NATS, simulated payments, no mail").isEmpty();

        var spec = sf.getSpec();
        spec.database.mode = StorefrontSpec.DatabaseMode.External;
        spec.database.external = new StorefrontSpec.ExternalDatabase();
        spec.database.external.host = "db.example.com";
        spec.database.external.adminSecretRef = new StorefrontSpec.SecretKeys("pg-admin");
        spec.payment.provider = StorefrontSpec.PaymentProvider.stripe;
        spec.payment.secretRef = new StorefrontSpec.StripeSecret();
        spec.payment.secretRef.name = "stripe";
        spec.mail.host = "smtp.example.com";
        spec.mail.secretRef = new StorefrontSpec.SecretKeys("smtp");
        spec.messaging.mode = StorefrontSpec.MessagingMode.External;
        spec.messaging.external = new StorefrontSpec.ExternalNats();
        spec.messaging.external.url = "nats://nats.example.com:4222";
        spec.messaging.external.credentialsSecretRef = new StorefrontSpec.SecretKey();
        spec.messaging.external.credentialsSecretRef.name = "nats";
        spec.gateway = new StorefrontSpec.Gateway();
        spec.gateway.host = "shop.example.com";
        spec.gateway.tlsSecretName = "shop-tls";
        assertThat(ReferencedSecrets.names(sf)).containsExactly("nats", "pg-admin", "shop-tls", "smtp", "stripe");

        // in-cluster, the admin Secret is the operator's own (PostgresAdminSecret), not one the user supplies
        spec.database.mode = StorefrontSpec.DatabaseMode.InCluster;
        assertThat(ReferencedSecrets.names(sf)).doesNotContain("pg-admin");
    }
}
