package dev.keel.shop.orderview.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.Test;

class OrderViewContractTest {

    @Test
    void pages_and_statistics_survive_the_wire() {
        JsonCodec json = JsonCodec.tolerant();
        OrderSummary summary = new OrderSummary(UUID.randomUUID(), UUID.randomUUID(), "Ada", "APPROVED", 2,
                new BigDecimal("39.80"), Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:00:01Z"));
        OrderPage page = new OrderPage(List.of(summary), 1, 0, 20, "815.1204", 12);
        OrderStatistics statistics = new OrderStatistics(1, Map.of("APPROVED", 1L), new BigDecimal("39.80"), new BigDecimal("39.80"), "815.1204");

        assertThat(json.fromJson(json.toJson(page), OrderPage.class)).isEqualTo(page);
        assertThat(json.fromJson(json.toJson(statistics), OrderStatistics.class)).isEqualTo(statistics);
    }
}
