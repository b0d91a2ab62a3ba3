package dev.keel.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DeciderTest {

    private final Decider<Integer, Integer, Integer> adder = Decider.of(() -> 0,
            (amount, total) -> amount > 0 ? Decision.accept(amount) : Decision.reject("not-positive", "add a positive amount"),
            Integer::sum);

    @Test
    void folds_events_into_a_state_from_the_initial_one() {
        assertThat(adder.replay(List.of(1, 2, 3))).isEqualTo(6);
        assertThat(adder.fold(10, List.of(5))).isEqualTo(15);
    }

    @Test
    void decides_with_events_or_a_rejection_as_a_value() {
        assertThat(adder.decide(4, 0)).isEqualTo(new Decision.Accepted<>(List.of(4)));
        assertThat(adder.decide(-1, 0)).isEqualTo(Decision.reject("not-positive", "add a positive amount"));
        assertThat(adder.decide(4, 0).isAccepted()).isTrue();
        assertThat(Decision.nothing()).isEqualTo(new Decision.Accepted<>(List.of()));
    }

    @Test
    void a_rejection_has_a_code_programs_can_act_on_and_a_message() {
        assertThat(new Rejection("order-shipped", "the order has shipped")).hasToString("order-shipped: the order has shipped");
        assertThatThrownBy(() -> new Rejection("Not A Code", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rejection("code", " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
