package dev.keel.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

@WithInfrastructure
class JdbcRoundTripTest {

    @Test
    void writes_and_reads_back_a_row_in_real_postgresql(TestDatabase db) throws SQLException {
        db.execute("CREATE TABLE greeting (id int PRIMARY KEY, payload jsonb NOT NULL)");

        try (Connection connection = db.dataSource().getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO greeting VALUES (?, ?::jsonb)")) {
                insert.setInt(1, 1);
                insert.setString(2, "{\"text\": \"hello\"}");
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("SELECT payload->>'text', version() FROM greeting WHERE id = 1");
                 ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("hello");
                assertThat(rows.getString(2)).startsWith("PostgreSQL 17");
            }
        }
    }

    @Test
    void the_cluster_has_what_later_modules_need(TestDatabase db) {
        assertThat(db.server().setting("wal_level")).isEqualTo("logical");
        assertThat(Integer.parseInt(db.server().setting("max_prepared_transactions"))).isPositive();
        assertThat(db.server().setting("fsync")).isEqualTo("off");
    }

    @Test
    void makes_further_databases_on_request(TestDatabase db) throws SQLException {
        TestDatabase other = db.newDatabase("orders");

        assertThat(other.name()).isNotEqualTo(db.name());
        try (Connection connection = other.dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT current_database()")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo(other.name());
        }
    }
}
