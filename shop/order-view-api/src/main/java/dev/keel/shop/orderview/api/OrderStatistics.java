package dev.keel.shop.orderview.api;

import java.math.BigDecimal;
import java.util.Map;

/** Counts by status, revenue of approved-or-later orders, and the read model's position. */
public record OrderStatistics(long orders, Map<String, Long> byStatus, BigDecimal revenue, BigDecimal averageOrderValue,
                              String position) {
}
