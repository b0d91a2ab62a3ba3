package dev.keel.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;

import dev.keel.eventstore.snapshot.SnapshotPolicy;
import dev.keel.postgres.LogPosition;
import org.junit.jupiter.api.Test;

class ValuesTest {

    @Test
    void expected_versions_say_which_stream_versions_they_accept() {
        assertThat(ExpectedVersion.any().isMetBy(7)).isTrue();
        assertThat(ExpectedVersion.noStream().isMetBy(0)).isTrue();
        assertThat(ExpectedVersion.noStream().isMetBy(1)).isFalse();
        assertThat(ExpectedVersion.exactly(3).isMetBy(3)).isTrue();
        assertThat(ExpectedVersion.exactly(3).isMetBy(4)).isFalse();
        assertThat(ExpectedVersion.exactly(0)).isEqualTo(ExpectedVersion.noStream());
        assertThatThrownBy(() -> new ExpectedVersion.Exactly(0)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void a_filter_matches_by_type_and_stream_prefix() {
        RecordedEvent placed = event("order-7", "Placed");
        assertThat(EventFilter.all().matches(placed)).isTrue();
        assertThat(EventFilter.category("order").matches(placed)).isTrue();
        assertThat(EventFilter.category("ord").matches(placed)).isFalse();
        assertThat(EventFilter.eventTypes("Paid").matches(placed)).isFalse();
        assertThat(EventFilter.category("order").withEventTypes("Placed", "Paid").matches(placed)).isTrue();
        assertThatThrownBy(EventFilter::eventTypes).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> EventFilter.category(" ")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void system_events_are_recognised_by_their_type() {
        assertThat(event("s", SystemEvents.STREAM_DELETED).isSystemEvent()).isTrue();
        assertThat(event("s", "Placed").isSystemEvent()).isFalse();
    }

    @Test
    void stream_reads_go_forwards_or_backwards_with_a_limit() {
        assertThat(StreamRead.forwards()).isEqualTo(new StreamRead(StreamRead.Direction.FORWARDS, 1, Integer.MAX_VALUE));
        assertThat(StreamRead.backwards().limit(1)).isEqualTo(new StreamRead(StreamRead.Direction.BACKWARDS, StreamRead.END, 1));
        assertThat(StreamRead.forwardsFrom(5).isForwards()).isTrue();
    }

    @Test
    void a_snapshot_policy_fires_when_the_version_crosses_a_multiple() {
        SnapshotPolicy everyTen = SnapshotPolicy.everyEvents(10);
        assertThat(everyTen.shouldSnapshot(8, 9)).isFalse();
        assertThat(everyTen.shouldSnapshot(9, 10)).isTrue();
        assertThat(everyTen.shouldSnapshot(8, 13)).isTrue();
        assertThat(everyTen.shouldSnapshot(10, 11)).isFalse();
        assertThat(SnapshotPolicy.never().shouldSnapshot(0, 1_000)).isFalse();
    }

    @Test
    void settings_refuse_limits_that_make_no_sense() {
        assertThatThrownBy(() -> EventStoreSettings.defaults("t").withMaxEventBytes(10)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> EventStoreSettings.defaults("t").withMaxEventsPerAppend(0)).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> EventStoreSettings.defaults(" ")).isInstanceOf(InvalidRequestException.class);
    }

    private static RecordedEvent event(String stream, String type) {
        return new RecordedEvent(stream, 1, new LogPosition(1, 1), UUID.randomUUID(), type, 1, "{}", "{}", Instant.EPOCH);
    }
}
