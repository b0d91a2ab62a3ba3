package dev.keel.shop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceSecretsTest {

    @Test
    void every_process_derives_the_same_password_for_a_role_from_the_same_secret(@TempDir Path directory) {
        ServiceSecrets first = ServiceSecrets.fromEnvironmentOrFile(directory);
        ServiceSecrets second = ServiceSecrets.fromEnvironmentOrFile(directory);

        assertThat(first.passwordFor("orders_service")).isEqualTo(second.passwordFor("orders_service")).hasSize(64);
        assertThat(first.passwordFor("orders_service")).isNotEqualTo(first.passwordFor("payments_service"));
    }

    @Test
    void refuses_a_short_secret() {
        assertThatThrownBy(() -> ServiceSecrets.of("short")).hasMessageContaining("at least 16");
    }
}
