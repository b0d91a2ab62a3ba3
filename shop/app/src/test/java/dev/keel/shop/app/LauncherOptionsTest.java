package dev.keel.shop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

    @Test
    void defaults_to_embedded_servers_with_data_in_dot_keel_data() {
        LauncherOptions options = LauncherOptions.parse();

        assertThat(options.dataDirectory()).isEqualTo(Path.of(".keel-data"));
        assertThat(options.reset()).isFalse();
        assertThat(options.postgresPort()).isEqualTo(15432);
        assertThat(options.kafkaPort()).isEqualTo(19092);
        assertThat(options.externalPostgres()).isEmpty();
        assertThat(options.externalKafka()).isEmpty();
    }

    @Test
    void takes_external_servers() {
        LauncherOptions options = LauncherOptions.parse("--postgres-url", "jdbc:postgresql://db:5432/postgres",
                "--postgres-user", "admin", "--postgres-password", "pw", "--kafka", "b1:9092,b2:9092");

        assertThat(options.externalPostgres()).contains(
                new LauncherOptions.ExternalPostgres("jdbc:postgresql://db:5432/postgres", "admin", "pw"));
        assertThat(options.externalKafka()).contains("b1:9092,b2:9092");
    }

    @Test
    void says_what_is_wrong_with_a_bad_command_line() {
        assertThatThrownBy(() -> LauncherOptions.parse("--frobnicate")).hasMessage("unknown option '--frobnicate'");
        assertThatThrownBy(() -> LauncherOptions.parse("--data-dir")).hasMessage("--data-dir needs a value");
        assertThatThrownBy(() -> LauncherOptions.parse("--kafka-port", "99999"))
                .hasMessage("--kafka-port must be a port number 1-65535, got '99999'");
        assertThatThrownBy(() -> LauncherOptions.parse("--postgres-url", "postgres://x"))
                .hasMessageContaining("must start with jdbc:postgresql://");
    }
}
