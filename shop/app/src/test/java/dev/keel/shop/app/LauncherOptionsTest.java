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

    @Test
    void runs_one_service_with_settings_and_peers() {
        LauncherOptions options = LauncherOptions.parse("--service", "order", "--port", "9084",
                "--set", "payment.declineRate=0.2", "--peer", "customer=http://10.0.0.5:8081");

        assertThat(options.service()).contains("order");
        assertThat(options.port()).contains(9084);
        assertThat(options.settings()).containsEntry("payment.declineRate", "0.2");
        assertThat(options.peers()).containsEntry("customer", java.net.URI.create("http://10.0.0.5:8081"));
    }

    @Test
    void refuses_half_given_pairs_and_a_port_without_a_service() {
        assertThatThrownBy(() -> LauncherOptions.parse("--set", "novalue")).hasMessage("--set needs NAME=VALUE, got 'novalue'");
        assertThatThrownBy(() -> LauncherOptions.parse("--peer", "customer=not a url")).hasMessageContaining("needs a URL");
        assertThatThrownBy(() -> LauncherOptions.parse("--port", "9000")).hasMessageContaining("add --service NAME");
    }
}
