package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class TransactionIdTest {

    @Test
    void a_global_transaction_id_names_coordinator_transaction_and_participant_and_parses_back() {
        TransactionId id = new TransactionId("shop-1", UUID.fromString("0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"));

        String gid = id.gid("warehouse_a");

        assertThat(gid).isEqualTo("keel2pc:shop-1:0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d:warehouse_a");
        assertThat(gid.length()).isLessThan(200);
        assertThat(gid).startsWith(Gid.prefixOf("shop-1"));
        assertThat(Gid.parse(gid)).contains(new Gid(id, "warehouse_a"));
    }

    @Test
    void the_longest_names_still_make_a_global_transaction_id_postgresql_accepts() {
        String longest = "a".repeat(63);

        assertThat(new TransactionId(longest, UUID.randomUUID()).gid(longest).length()).isLessThan(200);
    }

    @Test
    void global_transaction_ids_that_are_not_keels_are_ignored() {
        assertThat(Gid.parse("someone-elses-xa-branch")).isEmpty();
        assertThat(Gid.parse("keel2pc:shop-1:not-a-uuid:warehouse_a")).isEmpty();
        assertThat(Gid.parse("keel2pc:shop-1:0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")).isEmpty();
        assertThat(Gid.parse("keel2pc:Shop:0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d:warehouse_a")).isEmpty();
    }

    @Test
    void new_transaction_ids_are_unique_and_time_ordered() {
        TransactionId first = TransactionId.next("shop-1");
        TransactionId second = TransactionId.next("shop-1");

        assertThat(second.value()).isNotEqualTo(first.value());
        assertThat(second.value().compareTo(first.value())).isPositive();
        assertThat(first.value().version()).isEqualTo(7);
    }

    @Test
    void names_that_could_change_a_statement_or_a_global_transaction_id_are_refused() {
        assertThatThrownBy(() -> new TransactionId("shop'; DROP TABLE stock; --", UUID.randomUUID()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coordinator id must be");
        assertThatThrownBy(() -> new TransactionId("shop:1", UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TransactionId.next("shop-1").gid("Warehouse A"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("participant name must be");
        assertThatThrownBy(() -> new TransactionId("a".repeat(64), UUID.randomUUID())).isInstanceOf(IllegalArgumentException.class);
    }
}
