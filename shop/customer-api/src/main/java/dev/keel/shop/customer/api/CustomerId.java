package dev.keel.shop.customer.api;

import java.util.UUID;

import dev.keel.core.Require;
import dev.keel.core.TypedId;
import dev.keel.core.Uuids;

public record CustomerId(UUID value) implements TypedId<UUID> {

    public CustomerId {
        Require.present(value, "customerId");
    }

    public static CustomerId random() {
        return new CustomerId(Uuids.timeOrdered());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
