package dev.storefront.operator;

import dev.storefront.operator.model.ShopService;
import dev.storefront.operator.model.Storefront;
import dev.storefront.operator.model.StorefrontSpec.SecretKeys;

/**
 * Where the shop's PostgreSQL server is and which Secret holds a role that may create databases and roles,
 * for each database mode.
 */
public record DatabaseEndpoint(String host, int port, String sslMode, SecretKeys adminSecret, boolean ownedByStorefront) {

    public static DatabaseEndpoint of(Storefront sf) {
        var db = sf.getSpec().database;
        String ns = sf.getMetadata().getNamespace();
        return switch (db.mode) {
            // in-cluster dev server: plain TCP inside the namespace, guarded by a NetworkPolicy
            case InCluster -> new DatabaseEndpoint(StorefrontNames.postgres(sf) + "." + ns + ".svc", 5432, "disable",
                    new SecretKeys(StorefrontNames.postgresAdminSecret(sf)), true);
            case External -> new DatabaseEndpoint(db.external.host, db.external.port, db.external.sslMode,
                    db.external.adminSecretRef, false);
            // CloudNativePG serves TLS with its own CA and names the read-write Service <cluster>-rw
            case CloudNativePG -> new DatabaseEndpoint(StorefrontNames.cnpgCluster(sf) + "-rw." + ns + ".svc", 5432,
                    "require", new SecretKeys(StorefrontNames.cnpgSuperuserSecret(sf)), true);
        };
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?sslmode=" + sslMode;
    }

    public String jdbcUrl(Storefront sf, ShopService service) {
        return jdbcUrl(StorefrontNames.database(sf, service));
    }
}
