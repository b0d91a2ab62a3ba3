package dev.keel.shop.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.customer.api.CustomerRegistered;
import dev.keel.shop.customer.api.CustomerUpdated;
import org.junit.jupiter.api.Test;

class CustomerTest {

    static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
    static final CustomerId ID = CustomerId.random();

    @Test
    void a_registration_makes_version_1_and_announces_the_full_details() {
        Customer.Registered registered = Customer.register(ID, new CustomerDetails(" Ada Lovelace ", "ada@example.com"), NOW);

        assertThat(registered.customer()).isEqualTo(new Customer(ID, "Ada Lovelace", "ada@example.com", NOW, 1));
        assertThat(registered.event()).isEqualTo(new CustomerRegistered(ID, "Ada Lovelace", "ada@example.com", NOW));
    }

    @Test
    void an_update_raises_the_version_keeps_the_registration_time_and_announces_the_new_details() {
        Customer ada = new Customer(ID, "Ada Lovelace", "ada@example.com", NOW, 3);

        Customer.Updated updated = ada.update(new CustomerDetails("Ada King", "ada@example.org")).orElseThrow();

        assertThat(updated.customer()).isEqualTo(new Customer(ID, "Ada King", "ada@example.org", NOW, 4));
        assertThat(updated.event()).isEqualTo(new CustomerUpdated(ID, "Ada King", "ada@example.org"));
    }

    @Test
    void the_same_details_are_no_change() {
        Customer ada = new Customer(ID, "Ada Lovelace", "ada@example.com", NOW, 1);

        assertThat(ada.update(new CustomerDetails("Ada Lovelace", "ada@example.com"))).isEmpty();
    }

    @Test
    void another_case_of_the_email_is_a_change() {
        Customer ada = new Customer(ID, "Ada Lovelace", "ada@example.com", NOW, 1);

        assertThat(ada.update(new CustomerDetails("Ada Lovelace", "Ada@Example.com"))).isPresent();
    }
}
