package dev.keel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import dev.keel.embedded.EmbeddedPostgres;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class DatabaseProvisioningTest {

    @Test
    void a_service_role_reaches_its_own_database_and_no_other(TestDatabase db) throws SQLException {
        EmbeddedPostgres server = db.server();
        DatabaseProvisioning provisioning = new DatabaseProvisioning(server::superuserDataSource);

        provisioning.createDatabaseWithOwner("prov_orders", "prov_orders_service", "secret-o");
        provisioning.createDatabaseWithOwner("prov_payments", "prov_payments_service", "secret-p");
        try {
            try (Connection own = server.dataSource("prov_orders", "prov_orders_service", "secret-o").getConnection();
                 Statement statement = own.createStatement()) {
                statement.execute("CREATE TABLE orders (id int)");
            }
            assertThatThrownBy(() -> server.dataSource("prov_payments", "prov_orders_service", "secret-o").getConnection().close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database");
        } finally {
            server.dropDatabase("prov_orders");
            server.dropDatabase("prov_payments");
        }
    }

    @Test
    void provisioning_again_is_harmless(TestDatabase db) {
        EmbeddedPostgres server = db.server();
        DatabaseProvisioning provisioning = new DatabaseProvisioning(server::superuserDataSource);
        try {
            provisioning.createDatabaseWithOwner("prov_again", "prov_again_service", "one");
            provisioning.createDatabaseWithOwner("prov_again", "prov_again_service", "two");

            assertThat(provisioning.databaseExists("prov_again")).isTrue();
        } finally {
            server.dropDatabase("prov_again");
        }
    }

    @Test
    void refuses_bad_names_and_empty_passwords(TestDatabase db) {
        DatabaseProvisioning provisioning = new DatabaseProvisioning(db.server()::superuserDataSource);

        assertThatThrownBy(() -> provisioning.createDatabaseWithOwner("ok", "Bad-Role", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("role");
        assertThatThrownBy(() -> provisioning.createDatabaseWithOwner("x; DROP DATABASE postgres", "r", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
        assertThatThrownBy(() -> provisioning.createDatabaseWithOwner("ok", "ok_role", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("password");
    }
}
