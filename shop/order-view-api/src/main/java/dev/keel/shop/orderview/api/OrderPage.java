package dev.keel.shop.orderview.api;

import java.util.List;

/**
 * A page of orders; {@code position} is the log position the read model had reached when it answered,
 * {@code lagMillis} how far it trailed the order service at that moment.
 */
public record OrderPage(List<OrderSummary> orders, int total, int offset, int limit, String position, long lagMillis) {
}
