package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class AppendTest {

    private static final EventStoreSettings SETTINGS = EventStoreSettings.defaults("t").withMaxEventBytes(100);

    @Test
    void accepts_json_objects_and_says_what_is_wrong_with_anything_else() {
        assertThat(Append.jsonObjectProblem("{\"a\":[1,{\"b\":null}],\"c\":\"x\"}")).isNull();
        assertThat(Append.jsonObjectProblem("  {}  ")).isNull();
        assertThat(Append.jsonObjectProblem("[]")).contains("does not start with '{'");
        assertThat(Append.jsonObjectProblem("\"text\"")).contains("does not start with '{'");
        assertThat(Append.jsonObjectProblem("{\"a\":1} x")).isNotNull();
        assertThat(Append.jsonObjectProblem("{\"a\":}")).isNotNull();
        assertThat(Append.jsonObjectProblem("{\"a\":1")).isNotNull();
    }

    @Test
    void refuses_the_nul_character_postgresql_cannot_store_but_not_an_escaped_backslash_before_u0000() {
        assertThat(Append.jsonObjectProblem("{\"a\":\"\\u0000\"}")).contains("\\u0000");
        assertThat(Append.jsonObjectProblem("{\"\\u0000\":1}")).contains("\\u0000");
        assertThat(Append.jsonObjectProblem("{\"a\":\"\\\\u0000\"}")).as("a backslash, then the text u0000").isNull();
    }

    @Test
    void measures_events_in_utf_8_bytes() {
        assertThat(Append.utf8Length("abc")).isEqualTo(3);
        assertThat(Append.utf8Length("é")).isEqualTo(2);
        assertThat(Append.utf8Length("€")).isEqualTo(3);
        assertThat(Append.utf8Length("😀")).isEqualTo(4);
    }

    @Test
    void counts_payload_and_metadata_against_the_limit() {
        EventData fits = EventData.of("T", "{\"text\":\"" + "x".repeat(80) + "\"}");
        assertThat(Append.validated("s", ExpectedVersion.any(), List.of(fits), SETTINGS).events()).hasSize(1);

        EventData tooBig = fits.withMetadata("{\"m\":\"" + "y".repeat(10) + "\"}");
        assertThatThrownBy(() -> Append.validated("s", ExpectedVersion.any(), List.of(tooBig), SETTINGS))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("at most 100");
    }

    @Test
    void refuses_too_many_events_and_missing_ones() {
        EventStoreSettings two = SETTINGS.withMaxEventsPerAppend(2);
        List<EventData> three = List.of(EventData.of("T", "{}"), EventData.of("T", "{}"), EventData.of("T", "{}"));
        assertThatThrownBy(() -> Append.validated("s", ExpectedVersion.any(), three, two)).hasMessageContaining("has 3 events");
        assertThatThrownBy(() -> Append.validated("s", ExpectedVersion.any(), java.util.Arrays.asList(EventData.of("T", "{}"), null), SETTINGS))
                .hasMessageContaining("event #1");
    }

    @Test
    void an_appends_events_are_copied_so_the_caller_cannot_change_them_afterwards() {
        java.util.ArrayList<EventData> events = new java.util.ArrayList<>(List.of(EventData.of("T", "{}")));
        Append append = Append.validated("s", ExpectedVersion.any(), events, SETTINGS);
        events.add(EventData.of("T", "{}"));
        assertThat(append.events()).hasSize(1);
    }
}
