package dev.keel.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    @Test
    void durable_by_default_with_logical_wal_and_prepared_transactions() {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            assertThat(postgres.durability()).isEqualTo(Durability.DURABLE);
            assertThat(postgres.setting("fsync")).isEqualTo("on");
            assertThat(postgres.setting("synchronous_commit")).isEqualTo("on");
            assertThat(postgres.setting("full_page_writes")).isEqualTo("on");
            assertThat(postgres.setting("wal_level")).isEqualTo("logical");
            assertThat(Integer.parseInt(postgres.setting("max_prepared_transactions"))).isGreaterThan(0);
            assertThat(postgres.setting("server_version")).startsWith("17.");
        }
    }

    @Test
    void fast_mode_turns_fsync_and_synchronous_commit_off() {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().durability(Durability.FAST).start()) {
            assertThat(postgres.setting("fsync")).isEqualTo("off");
            assertThat(postgres.setting("synchronous_commit")).isEqualTo("off");
        }
    }

    @Test
    void keeps_its_data_across_a_restart_in_the_same_directory(@TempDir Path directory) throws SQLException {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().dataDirectory(directory).start()) {
            postgres.createDatabase("shop");
            execute(postgres, "shop", "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('before restart')");
        }
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().dataDirectory(directory).start()) {
            assertThat(query(postgres, "shop", "SELECT v FROM kept")).containsExactly("before restart");
        }
    }

    @Test
    void recovers_committed_data_after_the_process_that_ran_it_was_killed(@TempDir Path directory) throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                StartPostgresAndCommit.class.getName(), directory.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = output.readLine();
            } while (line != null && !line.equals(StartPostgresAndCommit.COMMITTED));
            assertThat(line).as("child reported its commit").isEqualTo(StartPostgresAndCommit.COMMITTED);
        }
        child.destroyForcibly();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(EmbeddedPostgres.postmasterPid(directory)).as("the killed JVM's server is still running").isPresent();

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().dataDirectory(directory).start()) {
            assertThat(query(postgres, "crash", "SELECT v FROM survived")).containsExactly("committed before the kill");
        }
    }

    @Test
    void creating_an_existing_database_again_is_harmless_and_dropping_removes_it() {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().durability(Durability.FAST).start()) {
            postgres.createDatabase("plain");
            postgres.createDatabase("plain");

            assertThat(postgres.databaseExists("plain")).isTrue();
            postgres.dropDatabase("plain");
            assertThat(postgres.databaseExists("plain")).isFalse();
        }
    }

    @Test
    void refuses_names_that_are_not_plain_identifiers() {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().durability(Durability.FAST).start()) {
            assertThatThrownBy(() -> postgres.createDatabase("orders; DROP DATABASE postgres"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("lower-case SQL identifier");
        }
    }

    static void execute(EmbeddedPostgres postgres, String database, String... statements) throws SQLException {
        try (Connection connection = postgres.superuserDataSource(database).getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    static List<String> query(EmbeddedPostgres postgres, String database, String sql) throws SQLException {
        try (Connection connection = postgres.superuserDataSource(database).getConnection();
             ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<String> values = new java.util.ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        }
    }
}
