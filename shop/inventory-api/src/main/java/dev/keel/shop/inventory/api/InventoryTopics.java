package dev.keel.shop.inventory.api;

/** Kafka topics of the inventory service. */
public final class InventoryTopics {

    /** {@link ReserveStock} and {@link ReleaseStock} commands, key = order id; replies go where the command says. */
    public static final String COMMANDS = "shop.inventory.commands";

    /** {@link StockLevelChanged} events, key = SKU. */
    public static final String EVENTS = "shop.inventory.events";

    private InventoryTopics() {
    }
}
