package dev.keel.test.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.TransientException;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.DuplicateEventIdException;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventFilter;
import dev.keel.eventstore.EventStore;
import dev.keel.eventstore.EventStoreSettings;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.eventstore.InvalidRequestException;
import dev.keel.eventstore.RecordedEvent;
import dev.keel.eventstore.StreamArchivedException;
import dev.keel.eventstore.StreamDeletedException;
import dev.keel.eventstore.StreamInfo.StreamState;
import dev.keel.eventstore.StreamInfo;
import dev.keel.eventstore.StreamRead;
import dev.keel.eventstore.Subscription;
import dev.keel.eventstore.SubscriptionOptions;
import dev.keel.eventstore.SystemEvents;
import dev.keel.eventstore.WrongExpectedVersionException;
import dev.keel.eventstore.memory.InMemoryCheckpointStore;
import dev.keel.postgres.LogPosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EventStore} keeps, whatever its storage. An engine's test is a subclass
 * that says how to make a store:
 *
 * <pre>{@code
 * class InMemoryEventStoreTest extends EventStoreContract {
 *     protected EventStore newStore(EventStoreSettings settings) { return InMemoryEventStore.builder().settings(settings).build(); }
 * }
 * }</pre>
 *
 * Tests of one class may share the store's storage (one database): each test uses streams of its own
 * and reads the log only after the position where it started.
 */
public abstract class EventStoreContract {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A new store over the engine under test, with these settings. */
    protected abstract EventStore newStore(EventStoreSettings settings);

    protected EventStore store;
    protected SimpleMeterRegistry meters;
    private String prefix;
    private LogPosition startedAt;

    @BeforeEach
    void openStore() {
        meters = new SimpleMeterRegistry();
        store = newStore(EventStoreSettings.defaults("contract").withMaxEventBytes(4_096).withMeterRegistry(meters));
        prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        startedAt = store.head().orElse(LogPosition.START);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** A stream id of this test's own category. */
    protected String stream(String name) {
        return prefix + "-" + name;
    }

    protected String category() {
        return prefix;
    }

    protected static EventData event(String type, int n) {
        return EventData.of(type, "{\"n\":" + n + "}");
    }

    protected static List<EventData> events(int count) {
        List<EventData> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(event("Counted", i));
        }
        return events;
    }

    protected static int n(RecordedEvent event) {
        return json(event.payload()).get("n").asInt();
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Everything this test has written to the log, in log order. */
    protected List<RecordedEvent> logSinceStart() {
        return store.readAll(startedAt, EventFilter.streamIdPrefix(prefix + "-"), 100_000);
    }

    // ---------------------------------------------------------------- appending

    @Test
    void reads_back_events_appended_to_a_new_stream_in_the_order_they_were_written() {
        EventData first = EventData.of("CartOpened", "{\"owner\":\"ann\"}");
        EventData second = EventData.of("ItemAdded", "{\"sku\":\"A-1\",\"quantity\":2}").withSchemaVersion(3)
                .withMetadata("{\"correlationId\":\"c-1\"}");

        AppendResult result = store.append(stream("cart"), ExpectedVersion.noStream(), first, second);

        List<RecordedEvent> read = store.readStream(stream("cart"));
        assertThat(read).extracting(RecordedEvent::eventId).containsExactly(first.eventId(), second.eventId());
        assertThat(read).extracting(RecordedEvent::streamVersion).containsExactly(1L, 2L);
        assertThat(read).extracting(RecordedEvent::type).containsExactly("CartOpened", "ItemAdded");
        assertThat(read).extracting(RecordedEvent::schemaVersion).containsExactly(1, 3);
        assertThat(json(read.get(1).payload())).isEqualTo(json(second.payload()));
        assertThat(json(read.get(1).metadata())).isEqualTo(json("{\"correlationId\":\"c-1\"}"));
        assertThat(read).allSatisfy(event -> assertThat(event.streamId()).isEqualTo(stream("cart")));
        assertThat(result.streamVersion()).isEqualTo(2);
        assertThat(result.alreadyStored()).isFalse();
        assertThat(result.position()).isEqualTo(read.get(1).position());
        assertThat(read.get(0).position()).isLessThan(read.get(1).position());
    }

    @Test
    void appends_after_the_version_the_writer_expects() {
        AppendResult first = store.append(stream("s"), ExpectedVersion.noStream(), events(2));

        AppendResult second = store.append(stream("s"), first.nextExpectedVersion(), event("Counted", 3));

        assertThat(second.streamVersion()).isEqualTo(3);
        assertThat(store.readStream(stream("s"))).extracting(EventStoreContract::n).containsExactly(1, 2, 3);
    }

    @Test
    void refuses_an_append_with_a_stale_expected_version_naming_stream_expected_and_actual() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(3));

        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.exactly(2), event("Late", 9)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> {
                    assertThat(e.streamId()).isEqualTo(stream("s"));
                    assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(2));
                    assertThat(e.actual()).isEqualTo(3);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains(stream("s"), "version 2", "version 3");
                });
        assertThat(store.readStream(stream("s"))).hasSize(3);
    }

    @Test
    void refuses_no_stream_when_the_stream_exists() {
        store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1));

        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.noStream(), event("Counted", 2)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isEqualTo(1));
    }

    @Test
    void refuses_an_exact_version_when_the_stream_does_not_exist() {
        assertThatThrownBy(() -> store.append(stream("none"), ExpectedVersion.exactly(1), event("Counted", 2)))
                .isInstanceOfSatisfying(WrongExpectedVersionException.class, e -> assertThat(e.actual()).isZero());
        assertThat(store.describe(stream("none")).state()).isEqualTo(StreamState.NO_STREAM);
    }

    @Test
    void appends_with_any_version_whatever_the_stream_is_at() {
        assertThat(store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1)).streamVersion()).isEqualTo(1);
        assertThat(store.append(stream("s"), ExpectedVersion.any(), events(2)).streamVersion()).isEqualTo(3);
    }

    @Test
    void an_exact_retry_writes_nothing_and_returns_what_the_first_append_did() {
        List<EventData> batch = events(2);
        AppendResult first = store.append(stream("s"), ExpectedVersion.noStream(), batch);

        AppendResult retry = store.append(stream("s"), ExpectedVersion.noStream(), batch);

        assertThat(retry.alreadyStored()).isTrue();
        assertThat(retry.streamVersion()).isEqualTo(first.streamVersion());
        assertThat(retry.position()).isEqualTo(first.position());
        assertThat(store.readStream(stream("s"))).hasSize(2);
    }

    @Test
    void an_exact_retry_succeeds_even_after_the_stream_moved_on() {
        List<EventData> batch = events(2);
        store.append(stream("s"), ExpectedVersion.noStream(), batch);
        store.append(stream("s"), ExpectedVersion.exactly(2), event("Later", 3));

        AppendResult retry = store.append(stream("s"), ExpectedVersion.noStream(), batch);

        assertThat(retry.alreadyStored()).isTrue();
        assertThat(retry.streamVersion()).isEqualTo(2);
        assertThat(store.readStream(stream("s"))).hasSize(3);
    }

    @Test
    void an_exact_retry_with_any_version_writes_nothing() {
        EventData once = event("Counted", 1);
        store.append(stream("s"), ExpectedVersion.any(), once);

        assertThat(store.append(stream("s"), ExpectedVersion.any(), once).alreadyStored()).isTrue();
        assertThat(store.readStream(stream("s"))).hasSize(1);
    }

    @Test
    void refuses_event_ids_that_are_stored_in_another_stream() {
        EventData once = event("Counted", 1);
        store.append(stream("a"), ExpectedVersion.any(), once);

        assertThatThrownBy(() -> store.append(stream("b"), ExpectedVersion.any(), once))
                .isInstanceOfSatisfying(DuplicateEventIdException.class,
                        e -> assertThat(e.eventIds()).containsExactly(once.eventId()));
        assertThat(store.describe(stream("b")).state()).isEqualTo(StreamState.NO_STREAM);
    }

    @Test
    void refuses_an_append_of_which_only_some_ids_are_stored() {
        EventData stored = event("Counted", 1);
        store.append(stream("s"), ExpectedVersion.any(), stored);

        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.any(), stored, event("Counted", 2)))
                .isInstanceOf(DuplicateEventIdException.class);
        assertThat(store.readStream(stream("s"))).hasSize(1);
    }

    @Test
    void versions_of_appends_to_one_stream_from_many_threads_are_unique_and_dense() throws Exception {
        int writers = 8;
        int appendsEach = 10;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        store.append(stream("shared"), ExpectedVersion.any(), events(2));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        List<RecordedEvent> read = store.readStream(stream("shared"));
        assertThat(read).extracting(RecordedEvent::streamVersion)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, writers * appendsEach * 2).boxed().toList());
        // each append's two events are adjacent
        for (int i = 0; i < read.size(); i += 2) {
            assertThat(n(read.get(i))).isEqualTo(1);
            assertThat(n(read.get(i + 1))).isEqualTo(2);
        }
    }

    @Test
    void appends_with_many_events_from_many_threads_all_land_whole_and_in_order() throws Exception {
        int writers = 6;
        int appendsEach = 4;
        int eventsEach = 40;
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String own = stream("big-" + w);
                futures.add(executor.submit(() -> {
                    for (int i = 0; i < appendsEach; i++) {
                        store.append(own, ExpectedVersion.exactly((long) i * eventsEach), events(eventsEach));
                        store.append(stream("big-shared"), ExpectedVersion.any(), events(eventsEach));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        for (int w = 0; w < writers; w++) {
            List<RecordedEvent> own = store.readStream(stream("big-" + w));
            assertThat(own).hasSize(appendsEach * eventsEach);
            assertThat(own).extracting(EventStoreContract::n).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, appendsEach * eventsEach).map(i -> i % eventsEach + 1).boxed().toList());
        }
        List<RecordedEvent> shared = store.readStream(stream("big-shared"));
        assertThat(shared).hasSize(writers * appendsEach * eventsEach);
        for (int i = 0; i < shared.size(); i += eventsEach) {
            assertThat(shared.subList(i, i + eventsEach)).as("each append's events stay together")
                    .extracting(EventStoreContract::n).isSorted().first().isEqualTo(1);
        }
    }

    @Test
    void of_writers_racing_with_the_same_expected_version_exactly_one_wins() throws Exception {
        store.append(stream("race"), ExpectedVersion.noStream(), event("Counted", 0));
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(executor.submit(() -> {
                    start.await();
                    try {
                        store.append(stream("race"), ExpectedVersion.exactly(1), event("Counted", writer));
                        won.incrementAndGet();
                    } catch (WrongExpectedVersionException e) {
                        assertThat(e.actual()).isEqualTo(2);
                        lost.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(won).hasValue(1);
        assertThat(lost).hasValue(writers - 1);
        assertThat(store.readStream(stream("race"))).hasSize(2);
    }

    @Test
    void a_conflict_fails_only_its_own_append_not_those_written_beside_it() throws Exception {
        store.append(stream("contested"), ExpectedVersion.noStream(), event("Counted", 0));
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(writers + 1);
        try {
            List<Future<AppendResult>> neighbours = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                neighbours.add(executor.submit(() -> {
                    start.await();
                    return store.append(stream("neighbour-" + writer), ExpectedVersion.noStream(), event("Counted", writer));
                }));
            }
            Future<?> stale = executor.submit(() -> {
                start.await();
                return store.append(stream("contested"), ExpectedVersion.noStream(), event("Counted", 1));
            });
            start.countDown();
            for (Future<AppendResult> neighbour : neighbours) {
                assertThat(neighbour.get(1, TimeUnit.MINUTES).streamVersion()).isEqualTo(1);
            }
            assertThatThrownBy(() -> stale.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(WrongExpectedVersionException.class);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void counts_appends_events_and_conflicts() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(3));
        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.noStream(), events(1)))
                .isInstanceOf(WrongExpectedVersionException.class);

        assertThat(meters.get("keel.eventstore.appends").tag("outcome", "written").counter().count()).isEqualTo(1);
        assertThat(meters.get("keel.eventstore.events.appended").counter().count()).isEqualTo(3);
        assertThat(meters.get("keel.eventstore.conflicts").counter().count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void refuses_a_blank_stream_id() {
        assertRefused(() -> store.append(" ", ExpectedVersion.any(), event("Counted", 1)), "stream id is blank");
        assertRefused(() -> store.append(null, ExpectedVersion.any(), event("Counted", 1)), "stream id is blank");
    }

    @Test
    void refuses_a_stream_id_that_is_too_long_or_has_control_characters() {
        assertRefused(() -> store.append("x".repeat(256), ExpectedVersion.any(), event("Counted", 1)), "256 characters");
        assertRefused(() -> store.append(stream("a\nb"), ExpectedVersion.any(), event("Counted", 1)), "control characters");
    }

    @Test
    void refuses_an_append_without_events() {
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), List.of()), "at least one event");
        assertNothingWritten();
    }

    @Test
    void refuses_an_event_without_payload() {
        assertRefused(() -> EventData.of("Counted", null), "has no payload");
        assertRefused(() -> EventData.of("Counted", "  "), "has no payload");
    }

    @Test
    void refuses_a_payload_that_is_not_a_json_object_and_writes_nothing_of_the_append() {
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1), EventData.of("Bad", "[1,2]")),
                "payload of event Bad is not a JSON object");
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), EventData.of("Bad", "{\"a\":")),
                "payload of event Bad is not a JSON object");
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), EventData.of("Bad", "{} {}")),
                "more after the object");
        assertNothingWritten();
    }

    @Test
    void refuses_json_postgresql_cannot_store() {
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), EventData.of("Bad", "{\"a\":\"x\\u0000y\"}")),
                "\\u0000");
        assertNothingWritten();
    }

    @Test
    void refuses_metadata_that_is_not_a_json_object() {
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1).withMetadata("\"text\"")),
                "metadata of event Counted is not a JSON object");
    }

    @Test
    void refuses_an_event_larger_than_the_configured_maximum() {
        String big = "{\"text\":\"" + "x".repeat(5_000) + "\"}";
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1), EventData.of("Big", big)),
                "at most 4096 are allowed");
        assertNothingWritten();
    }

    @Test
    void refuses_a_negative_expected_version() {
        assertRefused(() -> ExpectedVersion.exactly(-1), "expected version is 0 (no stream) or more, got -1");
        assertRefused(() -> store.append(stream("s"), null, event("Counted", 1)), "needs an expected version");
    }

    @Test
    void refuses_an_event_id_repeated_within_one_append() {
        EventData twice = event("Counted", 1);
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), twice, twice), "appears twice");
        assertNothingWritten();
    }

    @Test
    void refuses_event_types_reserved_for_keel_and_malformed_ones() {
        assertRefused(() -> store.append(stream("s"), ExpectedVersion.any(), EventData.of(SystemEvents.STREAM_DELETED, "{}")),
                "reserved");
        assertRefused(() -> EventData.of("no spaces allowed", "{}"), "is not an event type");
    }

    @Test
    void refuses_reads_with_an_invalid_range() {
        assertRefused(() -> StreamRead.forwardsFrom(0), "1 or more");
        assertRefused(() -> StreamRead.forwards().limit(0), "read limit is 1 or more");
        assertRefused(() -> store.readAll(LogPosition.START, EventFilter.all(), 0), "read limit is 1 or more");
        assertRefused(() -> store.readStream("", StreamRead.forwards()), "stream id is blank");
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.getMessage()).contains(reason);
            assertThat(e.isTransient()).isFalse();
        });
    }

    private void assertNothingWritten() {
        assertThat(store.describe(stream("s")).state()).isEqualTo(StreamState.NO_STREAM);
        assertThat(logSinceStart()).isEmpty();
    }

    // ---------------------------------------------------------------- reading one stream

    @Test
    void reads_forwards_from_a_version_with_a_limit() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(10));

        assertThat(store.readStream(stream("s"), StreamRead.forwardsFrom(4).limit(3)))
                .extracting(RecordedEvent::streamVersion).containsExactly(4L, 5L, 6L);
        assertThat(store.readStream(stream("s"), StreamRead.forwardsFrom(9).limit(5)))
                .extracting(RecordedEvent::streamVersion).containsExactly(9L, 10L);
        assertThat(store.readStream(stream("s"), StreamRead.forwardsFrom(11))).isEmpty();
    }

    @Test
    void reads_backwards_from_the_end_or_from_a_version() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(5));

        assertThat(store.readStream(stream("s"), StreamRead.backwards().limit(2)))
                .extracting(RecordedEvent::streamVersion).containsExactly(5L, 4L);
        assertThat(store.readStream(stream("s"), StreamRead.backwardsFrom(2)))
                .extracting(RecordedEvent::streamVersion).containsExactly(2L, 1L);
    }

    @Test
    void a_stream_that_does_not_exist_reads_as_empty() {
        assertThat(store.readStream(stream("nothing"))).isEmpty();
        assertThat(store.readStream(stream("nothing"), StreamRead.backwards())).isEmpty();
        assertThat(store.describe(stream("nothing"))).isEqualTo(new StreamInfo(stream("nothing"), 0, StreamState.NO_STREAM));
    }

    @Test
    void describes_a_stream_by_its_version() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(4));

        assertThat(store.describe(stream("s"))).isEqualTo(new StreamInfo(stream("s"), 4, StreamState.ACTIVE));
    }

    @Test
    void records_when_each_event_was_stored_in_version_order() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(2));
        store.append(stream("s"), ExpectedVersion.exactly(2), events(2));

        List<RecordedEvent> read = store.readStream(stream("s"));
        assertThat(read).extracting(RecordedEvent::recordedAt).isSorted();
    }

    // ---------------------------------------------------------------- reading all streams

    @Test
    void reads_every_stream_in_commit_order_and_resumes_after_a_position() {
        store.append(stream("a"), ExpectedVersion.noStream(), event("Counted", 1));
        store.append(stream("b"), ExpectedVersion.noStream(), event("Counted", 2));
        store.append(stream("a"), ExpectedVersion.exactly(1), event("Counted", 3));

        List<RecordedEvent> all = logSinceStart();
        assertThat(all).extracting(EventStoreContract::n).containsExactly(1, 2, 3);
        assertThat(all).extracting(RecordedEvent::position).isSorted();

        List<RecordedEvent> firstTwo = store.readAll(startedAt, EventFilter.streamIdPrefix(category() + "-"), 2);
        List<RecordedEvent> rest = store.readAll(firstTwo.get(1).position(), EventFilter.streamIdPrefix(category() + "-"), 10);
        assertThat(firstTwo).extracting(EventStoreContract::n).containsExactly(1, 2);
        assertThat(rest).extracting(EventStoreContract::n).containsExactly(3);
    }

    @Test
    void filters_by_event_type() {
        store.append(stream("a"), ExpectedVersion.any(), event("Placed", 1), event("Paid", 2));
        store.append(stream("b"), ExpectedVersion.any(), event("Shipped", 3), event("Placed", 4));

        List<RecordedEvent> placedOrShipped = store.readAll(startedAt,
                EventFilter.category(category()).withEventTypes("Placed", "Shipped"), 100);

        assertThat(placedOrShipped).extracting(EventStoreContract::n).containsExactly(1, 3, 4);
    }

    @Test
    void filters_by_stream_category() {
        String orders = category() + "order";
        String carts = category() + "cart";
        store.append(orders + "-1", ExpectedVersion.any(), event("Counted", 1));
        store.append(carts + "-1", ExpectedVersion.any(), event("Counted", 2));
        store.append(orders + "-2", ExpectedVersion.any(), event("Counted", 3));

        assertThat(store.readAll(startedAt, EventFilter.category(orders), 100))
                .extracting(RecordedEvent::streamId).containsExactly(orders + "-1", orders + "-2");
        assertThat(store.readAll(startedAt, EventFilter.eventTypes("Counted").withStreamIdPrefix(carts), 100))
                .extracting(EventStoreContract::n).containsExactly(2);
    }

    @Test
    void the_head_is_the_position_of_the_newest_event() {
        AppendResult last = store.append(stream("s"), ExpectedVersion.any(), events(3));

        assertThat(store.head()).contains(last.position());
        assertThat(store.readAll(last.position(), EventFilter.streamIdPrefix(category() + "-"), 10)).isEmpty();
    }

    // ---------------------------------------------------------------- ending streams

    @Test
    void an_archived_stream_reads_as_before_but_refuses_appends() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(2));

        AppendResult archived = store.archive(stream("s"), ExpectedVersion.exactly(2));

        assertThat(archived.streamVersion()).isEqualTo(3);
        assertThat(store.readStream(stream("s"))).extracting(EventStoreContract::n).containsExactly(1, 2);
        assertThat(store.describe(stream("s"))).isEqualTo(new StreamInfo(stream("s"), 2, StreamState.ARCHIVED));
        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.any(), event("Counted", 3)))
                .isInstanceOfSatisfying(StreamArchivedException.class, e -> assertThat(e.streamId()).isEqualTo(stream("s")));
        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.exactly(2), event("Counted", 3)))
                .isInstanceOf(StreamArchivedException.class);
    }

    @Test
    void readers_of_all_streams_see_the_archive_marker_in_order() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(1));
        store.archive(stream("s"), ExpectedVersion.any());

        assertThat(logSinceStart()).extracting(RecordedEvent::type).containsExactly("Counted", SystemEvents.STREAM_ARCHIVED);
        assertThat(logSinceStart().get(1).isSystemEvent()).isTrue();
        assertThat(store.readAll(startedAt, EventFilter.category(category()).withEventTypes("Counted"), 10)).hasSize(1);
    }

    @Test
    void archiving_checks_the_expected_version_and_can_be_repeated() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(2));

        assertThatThrownBy(() -> store.archive(stream("s"), ExpectedVersion.exactly(1)))
                .isInstanceOf(WrongExpectedVersionException.class);
        AppendResult first = store.archive(stream("s"), ExpectedVersion.exactly(2));
        AppendResult again = store.archive(stream("s"), ExpectedVersion.exactly(2));

        assertThat(again.alreadyStored()).isTrue();
        assertThat(again.position()).isEqualTo(first.position());
    }

    @Test
    void a_deleted_stream_refuses_reads_and_appends_and_its_id_is_never_reused() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(3));

        AppendResult tombstone = store.delete(stream("s"), ExpectedVersion.exactly(3));

        assertThat(tombstone.streamVersion()).isEqualTo(4);
        assertThatThrownBy(() -> store.readStream(stream("s"))).isInstanceOfSatisfying(StreamDeletedException.class,
                e -> assertThat(e.streamId()).isEqualTo(stream("s")));
        assertThatThrownBy(() -> store.readStream(stream("s"), StreamRead.backwards())).isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.readStream(stream("s"), StreamRead.forwardsFrom(10))).isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.noStream(), event("Counted", 1)))
                .isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.append(stream("s"), ExpectedVersion.any(), event("Counted", 1)))
                .isInstanceOf(StreamDeletedException.class);
        assertThatThrownBy(() -> store.archive(stream("s"), ExpectedVersion.any())).isInstanceOf(StreamDeletedException.class);
        assertThat(store.describe(stream("s"))).isEqualTo(new StreamInfo(stream("s"), 3, StreamState.DELETED));
    }

    @Test
    void deleting_removes_the_events_from_the_log_and_leaves_a_tombstone_for_its_readers() {
        store.append(stream("gone"), ExpectedVersion.noStream(), events(2));
        store.append(stream("kept"), ExpectedVersion.noStream(), events(1));

        store.delete(stream("gone"), ExpectedVersion.any());

        assertThat(logSinceStart()).extracting(RecordedEvent::streamId, RecordedEvent::type).containsExactly(
                org.assertj.core.groups.Tuple.tuple(stream("kept"), "Counted"),
                org.assertj.core.groups.Tuple.tuple(stream("gone"), SystemEvents.STREAM_DELETED));
    }

    @Test
    void a_stream_can_be_deleted_after_archiving_and_deleting_twice_changes_nothing() {
        store.append(stream("s"), ExpectedVersion.noStream(), events(1));
        store.archive(stream("s"), ExpectedVersion.exactly(1));

        AppendResult deleted = store.delete(stream("s"), ExpectedVersion.exactly(1));
        AppendResult again = store.delete(stream("s"), ExpectedVersion.any());

        assertThat(deleted.streamVersion()).isEqualTo(3);
        assertThat(again.alreadyStored()).isTrue();
        assertThat(again.position()).isEqualTo(deleted.position());
        assertThat(store.describe(stream("s")).state()).isEqualTo(StreamState.DELETED);
    }

    @Test
    void a_stream_that_never_existed_can_be_deleted_to_reserve_its_id() {
        store.delete(stream("reserved"), ExpectedVersion.noStream());

        assertThatThrownBy(() -> store.append(stream("reserved"), ExpectedVersion.noStream(), event("Counted", 1)))
                .isInstanceOf(StreamDeletedException.class);
    }

    // ---------------------------------------------------------------- subscribing

    @Test
    void catches_up_then_delivers_new_events_live_without_gap_or_duplicate() {
        store.append(stream("a"), ExpectedVersion.any(), events(5));
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();

        try (Subscription subscription = store.subscribe(ownEvents(SubscriptionOptions.after(startedAt)).batchSize(2),
                received::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5);
            await().atMost(Duration.ofSeconds(10)).until(() -> subscription.state() == Subscription.State.LIVE);
            for (int i = 0; i < 5; i++) {
                store.append(stream("b" + i), ExpectedVersion.any(), events(2));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 15);
            assertThat(received).extracting(RecordedEvent::position).isSorted().doesNotHaveDuplicates();
            assertThat(received).extracting(RecordedEvent::eventId).doesNotHaveDuplicates();
            assertThat(received).containsExactlyElementsOf(logSinceStart());
            assertThat(subscription.position()).isEqualTo(received.get(14).position());
        }
    }

    @Test
    void delivers_only_events_that_pass_its_filter() {
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        try (Subscription ignored = store.subscribe(SubscriptionOptions.after(startedAt)
                .filter(EventFilter.category(category()).withEventTypes("Wanted")), received::add)) {
            store.append(stream("s"), ExpectedVersion.any(), event("Wanted", 1), event("Other", 2), event("Wanted", 3));

            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertThat(received).extracting(EventStoreContract::n).containsExactly(1, 3);
        }
    }

    @Test
    void from_the_head_delivers_only_what_commits_after_it_started() {
        store.append(stream("old"), ExpectedVersion.any(), events(3));
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        try (Subscription ignored = store.subscribe(ownEvents(SubscriptionOptions.fromHead()), received::add)) {
            store.append(stream("new"), ExpectedVersion.any(), event("Counted", 42));

            await().atMost(Duration.ofSeconds(10)).until(() -> !received.isEmpty());
            assertThat(received).extracting(EventStoreContract::n).containsExactly(42);
        }
    }

    @Test
    void resumes_after_its_stored_checkpoint() {
        InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
        checkpoints.save(prefix, startedAt);
        store.append(stream("s"), ExpectedVersion.any(), events(3));
        List<RecordedEvent> first = new CopyOnWriteArrayList<>();
        try (Subscription ignored = store.subscribe(ownEvents(SubscriptionOptions.resumable(prefix, checkpoints)), first::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> first.size() == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> checkpoints.load(prefix).orElseThrow().equals(first.get(2).position()));
        }
        store.append(stream("s"), ExpectedVersion.any(), events(2));

        List<RecordedEvent> second = new CopyOnWriteArrayList<>();
        try (Subscription ignored = store.subscribe(ownEvents(SubscriptionOptions.resumable(prefix, checkpoints)), second::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> second.size() == 2);
            assertThat(second).extracting(RecordedEvent::streamVersion).containsExactly(4L, 5L);
        }
    }

    @Test
    void a_handler_failing_transiently_gets_the_same_event_again_and_nothing_twice() {
        store.append(stream("s"), ExpectedVersion.any(), events(4));
        List<Integer> received = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        try (Subscription ignored = store.subscribe(ownEvents(SubscriptionOptions.after(startedAt)).batchSize(10), event -> {
            if (n(event) == 3 && failures.getAndIncrement() < 2) {
                throw new TransientException("downstream busy");
            }
            received.add(n(event));
        })) {
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 4);
            assertThat(received).containsExactly(1, 2, 3, 4);
            assertThat(failures).hasValue(3);
        }
    }

    @Test
    void a_handler_failing_for_good_stops_the_subscription_before_the_failed_event() {
        store.append(stream("s"), ExpectedVersion.any(), events(4));
        List<RecordedEvent> received = new CopyOnWriteArrayList<>();
        try (Subscription subscription = store.subscribe(ownEvents(SubscriptionOptions.after(startedAt)), event -> {
            if (n(event) == 3) {
                throw new IllegalStateException("a bug");
            }
            received.add(event);
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> subscription.state() == Subscription.State.FAILED);
            assertThat(subscription.failure()).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.THROWABLE)
                    .hasMessage("a bug");
            assertThat(received).extracting(EventStoreContract::n).containsExactly(1, 2);
        }
    }

    @Test
    void many_subscribers_each_see_every_event_once_while_writers_append() throws Exception {
        int subscribers = 3;
        List<List<RecordedEvent>> seen = new ArrayList<>();
        List<Subscription> running = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            List<RecordedEvent> received = Collections.synchronizedList(new ArrayList<>());
            seen.add(received);
            running.add(store.subscribe(ownEvents(SubscriptionOptions.after(startedAt)).batchSize(7).bufferSize(20), received::add));
        }
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int writer = w;
                futures.add(writers.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.append(stream("w" + writer), ExpectedVersion.any(), events(2));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(1, TimeUnit.MINUTES);
            }
            for (List<RecordedEvent> received : seen) {
                await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 200);
            }
            List<RecordedEvent> log = logSinceStart();
            for (List<RecordedEvent> received : seen) {
                assertThat(received).containsExactlyElementsOf(log);
            }
        } finally {
            writers.shutdownNow();
            running.forEach(Subscription::close);
        }
    }

    @Test
    void reports_how_far_behind_it_is() {
        store.append(stream("s"), ExpectedVersion.any(), events(3));
        CountDownLatch release = new CountDownLatch(1);
        Set<Integer> received = ConcurrentHashMap.newKeySet();
        try (Subscription subscription = store.subscribe(ownEvents(SubscriptionOptions.after(startedAt)).named(prefix + "-lag"),
                event -> {
                    release.await();
                    received.add(n(event));
                })) {
            assertThat(meters.get("keel.eventstore.subscription.lag").tag("subscription", subscription.name()).gauge().value())
                    .isGreaterThanOrEqualTo(3);
            release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
            await().atMost(Duration.ofSeconds(10)).until(() -> subscription.state() == Subscription.State.LIVE);
            assertThat(meters.get("keel.eventstore.subscription.lag").tag("subscription", subscription.name()).gauge().value())
                    .isZero();
        }
    }

    private SubscriptionOptions ownEvents(SubscriptionOptions options) {
        return options.filter(EventFilter.category(category()));
    }
}
