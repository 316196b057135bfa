package dev.storefront.operator;

import dev.storefront.operator.db.DatabaseProvisioner;
import dev.storefront.operator.db.DatabaseProvisioner.AdminLogin;
import dev.storefront.operator.db.DatabaseProvisioner.Owner;
import dev.storefront.operator.db.DatabaseProvisioner.ServiceDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Provisioning against the real local PostgreSQL, under names no one else uses. */
class DatabaseProvisionerTest {
    private final String prefix = TestSupport.uniquePrefix();
    private final DatabaseProvisioner provisioner = new DatabaseProvisioner(
            new AdminLogin(TestSupport.PG_HOST, TestSupport.PG_PORT, "disable", "postgres", ""));
    private final ServiceDatabase cart = new ServiceDatabase(prefix + "_cart", prefix + "_cart", "CartSecret123");
    private final ServiceDatabase order = new ServiceDatabase(prefix + "_order", prefix + "_order", "OrderSecret456");
    private final Owner owner = new Owner("uid-1", "shop", "storefront");

    @AfterEach
    void dropLeftovers() throws SQLException {
        TestSupport.dropAll(prefix);
    }

    @Test
    void createsDatabasesAndRolesOnceAndIsIdempotent() throws Exception {
        provisioner.provision(owner, List.of(cart, order));
        assertThat(TestSupport.databasesLike(prefix)).containsExactly(cart.database(), order.database());
        assertThat(TestSupport.rolesLike(prefix)).containsExactly(cart.role(), order.role());
        long cartOid = oid("pg_database", "datname", cart.database());
        long roleOid = oid("pg_roles", "rolname", cart.role());

        provisioner.provision(owner, List.of(cart, order));
        assertThat(oid("pg_database", "datname", cart.database())).as("not recreated").isEqualTo(cartOid);
        assertThat(oid("pg_roles", "rolname", cart.role())).isEqualTo(roleOid);
        assertThat(owner(cart.database())).isEqualTo(cart.role());

        // the password from the Secret keeps working after a re-run: a role can log in and create tables
        try (var connection = login(cart, cart.database()); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE carts (id uuid PRIMARY KEY)");
        }
    }

    @Test
    void aServiceRoleCannotReadAnotherServicesDatabase() throws Exception {
        provisioner.provision(owner, List.of(cart, order));
        assertThatThrownBy(() -> login(cart, order.database()).close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied");
        try (var connection = login(order, order.database())) {
            assertThat(connection.isValid(2)).isTrue();
        }
    }

    @Test
    void dropRemovesDatabasesAndRolesAndToleratesMissingOnes() throws Exception {
        provisioner.provision(owner, List.of(cart, order));
        try (var open = login(cart, cart.database())) {
            // an open connection does not block the drop (WITH (FORCE))
            provisioner.drop(owner, List.of(cart, order));
        }
        assertThat(TestSupport.databasesLike(prefix)).isEmpty();
        assertThat(TestSupport.rolesLike(prefix)).isEmpty();
        provisioner.drop(owner, List.of(cart, order));
    }

    @Test
    void everyDatabaseAndRoleCarriesTheOwnershipMark() throws Exception {
        provisioner.provision(owner, List.of(cart));
        assertThat(comment("pg_database", "datname", cart.database())).isEqualTo(owner.comment());
        assertThat(comment("pg_authid", "rolname", cart.role())).isEqualTo(owner.comment());
        assertThat(Owner.parse(owner.comment())).isEqualTo(owner);
    }

    @Test
    void aDatabaseAndRoleNotMarkedAsOursAreLeftAloneAndReported() throws Exception {
        try (var connection = TestSupport.admin(); var sql = connection.createStatement()) {
            sql.execute("CREATE ROLE \"" + cart.role() + "\" LOGIN PASSWORD 'TheirOwn1'");
            sql.execute("CREATE DATABASE \"" + cart.database() + "\" OWNER \"" + cart.role() + "\"");
        }
        var refused = provisioner.provision(owner, List.of(cart, order));
        assertThat(refused).extracting(DatabaseProvisioner.Refusal::name).containsExactlyInAnyOrder(cart.role(), cart.database());
        assertThat(refused.getFirst().message()).contains("without the storefront.dev ownership mark");
        // untouched: the old password stays, no mark was written; the other service was provisioned
        assertThat(TestSupport.passwordMatches(cart.role(), "TheirOwn1")).isTrue();
        assertThat(TestSupport.passwordMatches(order.role(), order.password())).isTrue();
        assertThat(TestSupport.passwordMatches(order.role(), "TheirOwn1")).isFalse();
        assertThat(comment("pg_authid", "rolname", cart.role())).isNull();
        assertThat(comment("pg_database", "datname", order.database())).isEqualTo(owner.comment());

        assertThat(provisioner.drop(owner, List.of(cart, order))).hasSize(2);
        assertThat(TestSupport.databasesLike(prefix)).containsExactly(cart.database());
        assertThat(TestSupport.rolesLike(prefix)).containsExactly(cart.role());
    }

    @Test
    void anotherStorefrontsMarkIsRefusedButALaterStorefrontOfTheSameNameAdopts() throws Exception {
        provisioner.provision(owner, List.of(cart));
        var sameNameElsewhere = new Owner("uid-2", "other", "storefront");
        assertThat(provisioner.provision(sameNameElsewhere, List.of(cart))).extracting(DatabaseProvisioner.Refusal::markedOwner)
                .containsOnly("shop/storefront (uid uid-1)");
        assertThat(provisioner.drop(sameNameElsewhere, List.of(cart))).hasSize(2);
        assertThat(TestSupport.databasesLike(prefix)).containsExactly(cart.database());

        var recreated = new Owner("uid-3", "shop", "storefront");
        assertThat(provisioner.provision(recreated, List.of(cart))).isEmpty();
        assertThat(comment("pg_database", "datname", cart.database())).isEqualTo(recreated.comment());
    }

    @Test
    void unsafeNamesAreRefused() {
        assertThatThrownBy(() -> new ServiceDatabase("x\"; DROP DATABASE postgres; --", "r", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnreachableServerFailsFastWithAnSqlException() {
        var nowhere = new DatabaseProvisioner(new AdminLogin("127.0.0.1", 1, "disable", "postgres", ""));
        assertThatThrownBy(() -> nowhere.provision(owner, List.of(cart))).isInstanceOf(SQLException.class);
    }

    private static java.sql.Connection login(ServiceDatabase db, String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + TestSupport.PG_HOST + ":" + TestSupport.PG_PORT + "/"
                + database, db.role(), db.password());
    }

    private static long oid(String catalog, String column, String name) throws SQLException {
        try (var connection = TestSupport.admin();
             var statement = connection.prepareStatement("SELECT oid FROM " + catalog + " WHERE " + column + " = ?")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getLong(1);
            }
        }
    }

    private static String comment(String catalog, String column, String name) throws SQLException {
        try (var connection = TestSupport.admin();
             var statement = connection.prepareStatement("SELECT shobj_description(oid, '" + catalog + "') FROM "
                     + catalog.replace("pg_authid", "pg_roles") + " WHERE " + column + " = ?")) {
            statement.setString(1, name);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    private static String owner(String database) throws SQLException {
        try (var connection = TestSupport.admin();
             var statement = connection.prepareStatement(
                     "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
