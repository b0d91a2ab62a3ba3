package dev.keel.core.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.keel.core.ManualClock;
import dev.keel.core.Message;
import dev.keel.core.Metadata;
import dev.keel.core.TypedId;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

    record OrderId(UUID value) implements TypedId<UUID> {
        OrderId {
            if (value == null) {
                throw new IllegalArgumentException("order id is required");
            }
        }
    }

    record Sku(String value) implements TypedId<String> {
        Sku {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("sku must not be blank");
            }
        }
    }

    record Line(Sku sku, int quantity, BigDecimal price) {
        Line {
            if (quantity <= 0) {
                throw new IllegalArgumentException("quantity must be positive, got " + quantity);
            }
        }
    }

    record OrderPlaced(OrderId orderId, List<Line> lines, Instant placedAt, LocalDate deliverBy, Optional<String> note) {
    }

    private final JsonCodec tolerant = JsonCodec.tolerant();
    private final JsonCodec strict = JsonCodec.strict();

    private final OrderPlaced event = new OrderPlaced(
            new OrderId(UUID.fromString("01936f6e-1234-7abc-8def-0123456789ab")),
            List.of(new Line(new Sku("SKU-1"), 2, new BigDecimal("19.99"))),
            Instant.parse("2026-11-23T10:15:30.123Z"),
            LocalDate.parse("2026-12-01"),
            Optional.empty());

    @Test
    void writes_records_with_typed_ids_as_bare_values_and_times_as_iso_text() {
        String json = tolerant.toJson(event);

        assertThat(json).isEqualTo("{\"orderId\":\"01936f6e-1234-7abc-8def-0123456789ab\","
                + "\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"price\":19.99}],"
                + "\"placedAt\":\"2026-11-23T10:15:30.123Z\",\"deliverBy\":\"2026-12-01\"}");
    }

    @Test
    void reads_back_what_it_wrote() {
        assertThat(tolerant.fromBytes(tolerant.toBytes(event), OrderPlaced.class)).isEqualTo(event);
        assertThat(strict.fromJson(strict.toJson(event), OrderPlaced.class)).isEqualTo(event);
    }

    @Test
    void keeps_decimal_precision() {
        Line line = tolerant.fromJson("{\"sku\":\"A\",\"quantity\":1,\"price\":0.1000000000000000055511151231257827}", Line.class);

        assertThat(line.price()).isEqualByComparingTo("0.1000000000000000055511151231257827");
    }

    @Test
    void tolerant_codec_ignores_fields_it_does_not_know() {
        Line line = tolerant.fromJson("{\"sku\":\"A\",\"quantity\":1,\"price\":1,\"addedInV2\":true}", Line.class);

        assertThat(line.quantity()).isEqualTo(1);
    }

    @Test
    void strict_codec_names_the_unknown_field_and_where_it_is() {
        assertThatThrownBy(() -> strict.fromJson(
                "{\"orderId\":\"01936f6e-1234-7abc-8def-0123456789ab\",\"lines\":[{\"sku\":\"A\",\"quantity\":1,\"price\":1,\"qty\":3}]}",
                OrderPlaced.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("unknown field 'qty'");
                    assertThat(e.path()).isEqualTo("$.lines[0]");
                    assertThat(e.getMessage()).isEqualTo("cannot read OrderPlaced from JSON: unknown field 'qty' at $.lines[0]");
                    assertThat(e.isTransient()).isFalse();
                });
    }

    @Test
    void reports_a_wrong_type_with_its_path() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\"quantity\":\"two\",\"price\":1}", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.path()).isEqualTo("$.quantity");
                    assertThat(e.reason()).isEqualTo("expected an integer");
                });
    }

    @Test
    void does_not_coerce_strings_into_numbers() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\"quantity\":\"2\",\"price\":1}", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> assertThat(e.path()).isEqualTo("$.quantity"));
    }

    @Test
    void the_strict_codec_does_not_coerce_numbers_or_booleans_into_text() {
        record Customer(String name) {
        }
        assertThatThrownBy(() -> strict.fromJson("{\"name\":42}", Customer.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.path()).isEqualTo("$.name");
                    assertThat(e.reason()).isEqualTo("expected a string");
                });
        assertThatThrownBy(() -> strict.fromJson("{\"name\":4.2}", Customer.class)).isInstanceOf(JsonCodecException.class);
        assertThatThrownBy(() -> strict.fromJson("{\"name\":true}", Customer.class)).isInstanceOf(JsonCodecException.class);
        assertThat(JsonCodec.tolerant().fromJson("{\"name\":42}", Customer.class)).isEqualTo(new Customer("42"));
    }

    @Test
    void reports_the_record_validation_message() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\"quantity\":0,\"price\":1}", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class,
                        e -> assertThat(e.reason()).isEqualTo("quantity must be positive, got 0"));
    }

    @Test
    void runs_a_typed_ids_own_validation_on_input() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\" \",\"quantity\":1,\"price\":1}", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.reason()).isEqualTo("sku must not be blank");
                    assertThat(e.path()).isEqualTo("$.sku");
                });
    }

    @Test
    void reports_malformed_json_with_line_and_column() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\n \"quantity\": }", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> {
                    assertThat(e.reason()).startsWith("malformed JSON").contains("line 2");
                    assertThat(e.targetType()).isEqualTo("Line");
                });
    }

    @Test
    void refuses_trailing_garbage_and_empty_documents() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\"quantity\":1,\"price\":1} {}", Line.class))
                .isInstanceOf(JsonCodecException.class);
        assertThatThrownBy(() -> strict.fromJson("", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> assertThat(e.reason()).contains("empty"));
        assertThatThrownBy(() -> strict.fromJson("null", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> assertThat(e.reason()).contains("null"));
    }

    @Test
    void refuses_null_for_a_primitive() {
        assertThatThrownBy(() -> strict.fromJson("{\"sku\":\"A\",\"quantity\":null,\"price\":1}", Line.class))
                .isInstanceOfSatisfying(JsonCodecException.class, e -> assertThat(e.path()).isEqualTo("$.quantity"));
    }

    @Test
    void writes_typed_ids_as_map_keys() {
        record Stock(Map<Sku, Integer> levels) {
        }
        Stock stock = new Stock(Map.of(new Sku("SKU-9"), 4));

        String json = tolerant.toJson(stock);

        assertThat(json).isEqualTo("{\"levels\":{\"SKU-9\":4}}");
        assertThat(tolerant.fromJson(json, Stock.class)).isEqualTo(stock);
    }

    @Test
    void round_trips_a_whole_message_with_metadata() {
        ManualClock clock = ManualClock.at("2026-11-23T10:00:00Z");
        Message<OrderPlaced> message = Message.of("shop.order.OrderPlaced", event, clock);

        String json = tolerant.toJson(message.metadata());
        Metadata back = tolerant.fromJson(json, Metadata.class);

        assertThat(back).isEqualTo(message.metadata());
        assertThat(json).contains("\"occurredAt\":\"2026-11-23T10:00:00Z\"").doesNotContain("causationId");
    }
}
