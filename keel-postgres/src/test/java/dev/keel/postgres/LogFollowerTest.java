package dev.keel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;
import org.junit.jupiter.api.Test;

class LogFollowerTest {

    record Row(LogPosition position) {
    }

    /** A log in memory: rows at positions 1, 2, 3... (one transaction each). */
    static final class MemoryLog implements LogFollower.Source<Row> {
        private final List<Row> rows = new CopyOnWriteArrayList<>();
        final AtomicLong rowsRead = new AtomicLong();
        final AtomicInteger failuresToThrow = new AtomicInteger();
        volatile RuntimeException failure = new TransientException("database restarting");

        void append(int count) {
            for (int i = 0; i < count; i++) {
                long n = rows.size() + 1;
                rows.add(new Row(new LogPosition(n, n)));
            }
        }

        @Override
        public List<Row> readAfter(LogPosition after, int limit) {
            if (failuresToThrow.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw failure;
            }
            List<Row> batch = new ArrayList<>();
            for (Row row : rows) {
                if (row.position().isAfter(after) && batch.size() < limit) {
                    batch.add(row);
                }
            }
            rowsRead.addAndGet(batch.size());
            return batch;
        }
    }

    private static LogFollower.Builder<Row> follower(MemoryLog log) {
        return LogFollower.builder("test", log, Row::position).retryBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
    }

    @Test
    void catches_up_then_follows_new_rows_live_without_gap_or_duplicate() {
        MemoryLog log = new MemoryLog();
        log.append(25);
        List<Row> handled = new CopyOnWriteArrayList<>();
        try (LogFollower<Row> follower = follower(log).batchSize(7).pollInterval(Duration.ofHours(1)).start(handled::addAll)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.state() == LogFollower.State.LIVE);
            log.append(10);
            follower.wake();

            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 35);
            assertThat(handled).extracting(row -> row.position().position()).containsExactlyElementsOf(
                    java.util.stream.LongStream.rangeClosed(1, 35).boxed().toList());
            assertThat(follower.position()).isEqualTo(new LogPosition(35, 35));
        }
    }

    @Test
    void starts_after_the_position_it_is_given() {
        MemoryLog log = new MemoryLog();
        log.append(10);
        List<Row> handled = new CopyOnWriteArrayList<>();
        try (LogFollower<Row> ignored = follower(log).after(new LogPosition(6, 6)).start(handled::addAll)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 4);
            assertThat(handled.get(0).position()).isEqualTo(new LogPosition(7, 7));
        }
    }

    @Test
    void reads_no_further_ahead_than_its_buffer_while_the_handler_is_slow() throws Exception {
        MemoryLog log = new MemoryLog();
        log.append(500);
        AtomicLong handledRows = new AtomicLong();
        AtomicLong mostAhead = new AtomicLong();
        CountDownLatch firstBatchHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        int batchSize = 10;
        int bufferSize = 40;
        try (LogFollower<Row> ignored = follower(log).batchSize(batchSize).bufferSize(bufferSize).start(batch -> {
            firstBatchHeld.countDown();
            release.await();
            mostAhead.accumulateAndGet(log.rowsRead.get() - handledRows.get(), Math::max);
            handledRows.addAndGet(batch.size());
        })) {
            firstBatchHeld.await();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.rowsRead.get() >= bufferSize);
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> handledRows.get() == 500);
        }
        // what was read but not handled yet never exceeds the buffer (plus the batch being put into it)
        assertThat(mostAhead.get()).isBetween((long) bufferSize, (long) bufferSize + batchSize);
    }

    @Test
    void a_transient_handler_failure_gets_the_same_batch_again() {
        MemoryLog log = new MemoryLog();
        log.append(5);
        List<Row> handled = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        try (LogFollower<Row> follower = follower(log).batchSize(5).start(batch -> {
            if (attempts.incrementAndGet() < 3) {
                throw new TransientException("broker busy");
            }
            handled.addAll(batch);
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 5);
            assertThat(attempts).hasValue(3);
            assertThat(follower.failure()).isEmpty();
        }
    }

    @Test
    void a_permanent_handler_failure_stops_it_at_the_last_batch_handled() {
        MemoryLog log = new MemoryLog();
        log.append(6);
        try (LogFollower<Row> follower = follower(log).batchSize(3).start(batch -> {
            if (batch.get(0).position().position() > 3) {
                throw new NonTransientException("cannot map this row");
            }
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.state() == LogFollower.State.FAILED);
            assertThat(follower.failure()).get().extracting(Throwable::getMessage).isEqualTo("cannot map this row");
            assertThat(follower.position()).isEqualTo(new LogPosition(3, 3));
        }
    }

    @Test
    void a_transient_read_failure_is_retried_and_a_permanent_one_stops_it() {
        MemoryLog log = new MemoryLog();
        log.append(3);
        log.failuresToThrow.set(2);
        List<Row> handled = new CopyOnWriteArrayList<>();
        try (LogFollower<Row> ignored = follower(log).start(handled::addAll)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.size() == 3);
        }

        MemoryLog broken = new MemoryLog();
        broken.failure = new NonTransientException("relation does not exist");
        broken.failuresToThrow.set(1);
        try (LogFollower<Row> follower = follower(broken).start(batch -> { })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> follower.state() == LogFollower.State.FAILED);
        }
    }

    @Test
    void is_closed_after_close() {
        MemoryLog log = new MemoryLog();
        LogFollower<Row> follower = follower(log).start(batch -> { });
        follower.close();
        assertThat(follower.state()).isEqualTo(LogFollower.State.CLOSED);
    }
}
