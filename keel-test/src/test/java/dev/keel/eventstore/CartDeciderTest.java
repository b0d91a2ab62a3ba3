package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.keel.test.decider.DeciderFixture;
import org.junit.jupiter.api.Test;

/** The test domain's decider, specified with the given/when/then fixture of keel-test. */
class CartDeciderTest {

    private final DeciderFixture<Cart.Command, Cart, Cart.Event> cart = DeciderFixture.of(Cart.decider());

    @Test
    void opening_a_new_cart_records_that_it_was_opened() {
        cart.when(new Cart.Open("ann"))
                .thenEvents(new Cart.Opened("ann"))
                .thenState(new Cart("ann", Map.of(), false));
    }

    @Test
    void an_open_cart_cannot_be_opened_again() {
        cart.given(new Cart.Opened("ann"))
                .when(new Cart.Open("bob"))
                .thenRejected("cart-exists");
    }

    @Test
    void items_add_up_per_sku() {
        cart.given(new Cart.Opened("ann"), new Cart.ItemAdded("A-1", 2))
                .when(new Cart.AddItem("A-1", 3))
                .thenEvents(new Cart.ItemAdded("A-1", 3))
                .thenState(state -> assertThat(state.items()).containsExactly(Map.entry("A-1", 5)));
    }

    @Test
    void a_checked_out_cart_takes_no_more_items() {
        cart.given(new Cart.Opened("ann"), new Cart.ItemAdded("A-1", 1), new Cart.CheckedOut(1))
                .when(new Cart.AddItem("B-2", 1))
                .thenRejected(rejection -> assertThat(rejection.message()).contains("checked out"));
    }

    @Test
    void checking_out_an_empty_cart_is_rejected_and_checking_out_twice_changes_nothing() {
        cart.given(new Cart.Opened("ann")).when(new Cart.CheckOut()).thenRejected("cart-empty");
        cart.given(new Cart.Opened("ann"), new Cart.ItemAdded("A-1", 2), new Cart.CheckedOut(2))
                .when(new Cart.CheckOut())
                .thenNothingHappens();
    }

    @Test
    void a_quantity_below_one_is_a_bug_in_the_caller_not_a_business_rejection() {
        cart.given(new Cart.Opened("ann")).when(new Cart.AddItem("A-1", 0)).thenThrows(IllegalArgumentException.class);
    }

    @Test
    void the_fixture_says_what_it_expected_when_the_decider_disagrees() {
        assertThatThrownBy(() -> cart.given(new Cart.Opened("ann")).when(new Cart.CheckOut()).thenEvents(new Cart.CheckedOut(0)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected the command to be accepted, but it was rejected")
                .hasMessageContaining("cart-empty");
        assertThatThrownBy(() -> cart.when(new Cart.Open("ann")).thenRejected("cart-exists"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected a rejection, but the command was accepted");
    }
}
