package dev.keel.shop.order.api;

import java.math.BigDecimal;

/** One line of a placed order, priced when it was placed (EUR). */
public record OrderLine(String sku, String name, int quantity, BigDecimal unitPrice) {

    public BigDecimal total() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
