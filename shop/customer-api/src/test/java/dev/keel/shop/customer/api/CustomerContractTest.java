package dev.keel.shop.customer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class CustomerContractTest {

    private final JsonCodec json = JsonCodec.tolerant();

    @Test
    void events_survive_the_wire() {
        CustomerRegistered registered = new CustomerRegistered(CustomerId.random(), "Ada Lovelace", "ada@example.com",
                Instant.parse("2026-11-23T10:00:00Z"));
        CustomerUpdated updated = new CustomerUpdated(registered.customerId(), "Ada King", "ada@example.org");

        assertThat(json.fromJson(json.toJson(registered), CustomerRegistered.class)).isEqualTo(registered);
        assertThat(json.fromJson(json.toJson(updated), CustomerUpdated.class)).isEqualTo(updated);
        assertThat(json.toJson(registered)).contains("\"customerId\":\"" + registered.customerId().value() + "\"");
    }

    @Test
    void details_are_trimmed_and_checked() {
        assertThat(new CustomerDetails("  Ada ", "ada@example.com").name()).isEqualTo("Ada");
        assertThatThrownBy(() -> new CustomerDetails("Ada", "not-an-email")).hasMessageContaining("email must be an address");
        assertThatThrownBy(() -> new CustomerDetails(" ", "ada@example.com")).hasMessage("name must not be blank");
    }
}
