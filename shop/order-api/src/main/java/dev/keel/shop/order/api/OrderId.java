package dev.keel.shop.order.api;

import java.util.UUID;

import dev.keel.core.Require;
import dev.keel.core.TypedId;
import dev.keel.core.Uuids;

public record OrderId(UUID value) implements TypedId<UUID> {

    public OrderId {
        Require.present(value, "orderId");
    }

    public static OrderId random() {
        return new OrderId(Uuids.timeOrdered());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
