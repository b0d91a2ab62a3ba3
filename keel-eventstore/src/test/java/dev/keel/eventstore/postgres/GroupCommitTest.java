package dev.keel.eventstore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.keel.eventstore.Append;
import dev.keel.eventstore.AppendResult;
import dev.keel.eventstore.EventData;
import dev.keel.eventstore.EventStoreSettings;
import dev.keel.eventstore.ExpectedVersion;
import dev.keel.postgres.LogPosition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The batching of group commit, with a writer in memory instead of the database. */
class GroupCommitTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final List<String> writerThreads = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private GroupCommit groupCommit(int maxConcurrentBatches, int maxAppendsPerBatch) {
        return new GroupCommit(maxConcurrentBatches, maxAppendsPerBatch, 1_000, this::write,
                io.micrometer.core.instrument.DistributionSummary.builder("batch").register(new SimpleMeterRegistry()));
    }

    /** Records the batch, waits at the gate, and answers each append with its own stream and a version. */
    private void write(List<GroupCommit.Pending> batch) {
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            batches.add(batch.stream().map(pending -> pending.append().streamId()).toList());
            writerThreads.add(Thread.currentThread().getName());
            gate.await();
            long tx = batches.size();
            for (GroupCommit.Pending pending : batch) {
                if (pending.append().streamId().startsWith("bad")) {
                    pending.fail(new IllegalStateException("refused " + pending.append().streamId()));
                } else {
                    pending.succeed(new AppendResult(pending.append().streamId(), 1, new LogPosition(tx, tx), false));
                }
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static Append append(String stream) {
        return Append.validated(stream, ExpectedVersion.any(), List.of(EventData.of("Counted", "{}")), EventStoreSettings.defaults("t"));
    }

    @Test
    void a_lone_append_is_written_at_once_on_the_callers_own_thread() {
        GroupCommit groupCommit = groupCommit(2, 100);

        AppendResult result = groupCommit.append(append("alone"));

        assertThat(result.streamId()).isEqualTo("alone");
        assertThat(batches).containsExactly(List.of("alone"));
        assertThat(writerThreads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void appends_that_arrive_while_a_batch_is_in_flight_go_together_into_the_next_one() throws Exception {
        GroupCommit groupCommit = groupCommit(1, 100);
        gate = new CountDownLatch(1);
        Future<AppendResult> first = executor.submit(() -> groupCommit.append(append("first")));
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
        List<Future<AppendResult>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String stream = "queued-" + i;
            queued.add(executor.submit(() -> groupCommit.append(append(stream))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting() == 5);

        gate.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).streamId()).isEqualTo("first");
        for (int i = 0; i < 5; i++) {
            assertThat(queued.get(i).get(10, TimeUnit.SECONDS).streamId()).as("each caller gets its own outcome").isEqualTo("queued-" + i);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder("queued-0", "queued-1", "queued-2", "queued-3", "queued-4");
    }

    @Test
    void a_batch_holds_one_append_per_stream_and_a_streams_appends_keep_their_order() throws Exception {
        GroupCommit groupCommit = groupCommit(1, 100);
        gate = new CountDownLatch(1);
        Future<?> blocker = executor.submit(() -> groupCommit.append(append("blocker")));
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
        List<Future<AppendResult>> same = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            same.add(executor.submit(() -> groupCommit.append(append("same"))));
            int queued = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting() == queued);
        }
        Future<AppendResult> other = executor.submit(() -> groupCommit.append(append("other")));
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting() == 4);

        gate.countDown();
        blocker.get(10, TimeUnit.SECONDS);
        for (Future<AppendResult> future : same) {
            future.get(10, TimeUnit.SECONDS);
        }
        other.get(10, TimeUnit.SECONDS);

        assertThat(batches).allSatisfy(batch -> assertThat(batch.stream().filter("same"::equals)).hasSizeLessThanOrEqualTo(1));
        assertThat(batches.stream().filter(batch -> batch.contains("same"))).hasSize(3);
    }

    @Test
    void never_has_more_batches_in_flight_than_allowed() throws Exception {
        GroupCommit groupCommit = groupCommit(2, 3);
        List<Future<AppendResult>> futures = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String stream = "s-" + i;
            futures.add(executor.submit(() -> groupCommit.append(append(stream))));
        }
        for (Future<AppendResult> future : futures) {
            future.get(10, TimeUnit.SECONDS);
        }
        assertThat(mostInFlight.get()).isLessThanOrEqualTo(2);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(3));
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(60);
    }

    @Test
    void a_refused_append_fails_only_its_own_caller() throws Exception {
        GroupCommit groupCommit = groupCommit(1, 100);
        gate = new CountDownLatch(1);
        Future<?> blocker = executor.submit(() -> groupCommit.append(append("blocker")));
        await().atMost(Duration.ofSeconds(10)).until(() -> batches.size() == 1);
        Future<AppendResult> good = executor.submit(() -> groupCommit.append(append("good")));
        Future<AppendResult> bad = executor.submit(() -> groupCommit.append(append("bad")));
        await().atMost(Duration.ofSeconds(10)).until(() -> groupCommit.waiting() == 2);

        gate.countDown();

        blocker.get(10, TimeUnit.SECONDS);
        assertThat(good.get(10, TimeUnit.SECONDS).streamId()).isEqualTo("good");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("refused bad");
        assertThat(batches.get(1)).containsExactlyInAnyOrder("good", "bad");
    }

    @Test
    void every_caller_comes_back_however_writers_and_wake_ups_interleave() throws Exception {
        for (int maxConcurrentBatches = 1; maxConcurrentBatches <= 3; maxConcurrentBatches++) {
            GroupCommit groupCommit = new GroupCommit(maxConcurrentBatches, 4, 1_000, batch -> {
                if (java.util.concurrent.ThreadLocalRandom.current().nextInt(4) == 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000));
                }
                batch.forEach(pending -> pending.succeed(new AppendResult(pending.append().streamId(), 1, new LogPosition(1, 1), false)));
            }, io.micrometer.core.instrument.DistributionSummary.builder("batch").register(new SimpleMeterRegistry()));
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String stream = w % 2 == 0 ? "shared" : "own-" + w;
                writers.add(executor.submit(() -> {
                    int done = 0;
                    for (int i = 0; i < 1_500; i++) {
                        groupCommit.append(append(stream));
                        done++;
                    }
                    return done;
                }));
            }
            for (Future<Integer> writer : writers) {
                assertThat(writer.get(1, TimeUnit.MINUTES)).isEqualTo(1_500);
            }
            assertThat(groupCommit.waiting()).isZero();
        }
    }

    @Test
    void a_writer_that_throws_fails_every_append_of_its_batch_and_the_next_batch_goes_on() {
        GroupCommit groupCommit = new GroupCommit(1, 100, 1_000, batch -> {
            throw new IllegalStateException("writer broke");
        }, io.micrometer.core.instrument.DistributionSummary.builder("batch").register(new SimpleMeterRegistry()));

        assertThatThrownBy(() -> groupCommit.append(append("a"))).hasMessage("writer broke");
        assertThatThrownBy(() -> groupCommit.append(append("b"))).hasMessage("writer broke");
        assertThat(groupCommit.waiting()).isZero();
    }
}
