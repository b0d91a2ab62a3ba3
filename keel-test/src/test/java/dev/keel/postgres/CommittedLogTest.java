package dev.keel.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class CommittedLogTest {

    record Row(LogPosition position, int writer, int seq) {
    }

    private static final CommittedLog<Row> LOG = CommittedLog.<Row>of("gapfree.log_rows",
                    (row, position) -> new Row(position, row.getInt("writer"), row.getInt("seq")))
            .columns("writer, seq")
            .build();

    private final TestDatabase db;

    CommittedLogTest(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    static void migrate(TestDatabase db) {
        Migrations.migrate(db.dataSource(), "sample", "gapfree", "db/test/sample");
    }

    @BeforeEach
    void empty() {
        db.execute("TRUNCATE gapfree.log_rows");
    }

    @Test
    void reads_committed_rows_in_log_order_and_resumes_after_the_last_one_read() throws SQLException {
        insert(1, 1);
        insert(1, 2);
        insert(2, 1);

        try (Connection connection = db.dataSource().getConnection()) {
            List<Row> first = LOG.readAfter(connection, LogPosition.START, 2);
            List<Row> rest = LOG.readAfter(connection, first.get(1).position(), 10);

            assertThat(first).extracting(Row::writer, Row::seq).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(1, 2));
            assertThat(rest).extracting(Row::writer, Row::seq).containsExactly(org.assertj.core.groups.Tuple.tuple(2, 1));
            assertThat(LOG.readAfter(connection, rest.get(0).position(), 10)).isEmpty();
            assertThat(LOG.head(connection)).contains(rest.get(0).position());
        }
    }

    @Test
    void holds_back_a_later_commit_until_an_earlier_transaction_has_finished() throws SQLException {
        try (Connection early = db.dataSource().getConnection(); Connection reader = db.dataSource().getConnection()) {
            early.setAutoCommit(false);
            insert(early, 1, 1);            // takes its position first, commits last
            insert(2, 1);                   // commits at once

            assertThat(LOG.readAfter(reader, LogPosition.START, 10))
                    .as("nothing may be read while an earlier transaction is open").isEmpty();

            early.commit();
            List<Row> rows = LOG.readAfter(reader, LogPosition.START, 10);
            assertThat(rows).extracting(Row::writer).containsExactly(1, 2);
        }
    }

    @Test
    void never_shows_rows_of_a_rolled_back_transaction() throws SQLException {
        try (Connection aborted = db.dataSource().getConnection(); Connection reader = db.dataSource().getConnection()) {
            aborted.setAutoCommit(false);
            insert(aborted, 9, 9);
            insert(1, 1);
            aborted.rollback();

            assertThat(LOG.readAfter(reader, LogPosition.START, 10)).extracting(Row::writer).containsExactly(1);
        }
    }

    @Test
    void streams_through_a_cursor_and_may_stop_early() throws SQLException {
        for (int i = 1; i <= 25; i++) {
            insert(1, i);
        }
        try (Connection connection = db.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            List<Integer> seen = new ArrayList<>();
            long handed = LOG.stream(connection, LogPosition.START, 100, 4, row -> {
                seen.add(row.seq());
                return row.seq() < 20;
            });
            connection.commit();

            assertThat(handed).isEqualTo(20);
            assertThat(seen).hasSize(20).isSorted();
        }
    }

    @Test
    void refuses_to_stream_in_auto_commit_mode() throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            assertThatThrownBy(() -> LOG.stream(connection, LogPosition.START, 10, 5, row -> true))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("auto-commit");
        }
    }

    @Test
    void filters_with_an_extra_condition() throws SQLException {
        insert(1, 1);
        insert(2, 1);
        insert(1, 2);
        CommittedLog<Row> writerOne = CommittedLog.<Row>of("gapfree.log_rows",
                        (row, position) -> new Row(position, row.getInt("writer"), row.getInt("seq")))
                .columns("writer, seq")
                .where("writer = ?", (statement, index) -> {
                    statement.setInt(index, 1);
                    return index + 1;
                })
                .build();

        try (Connection connection = db.dataSource().getConnection()) {
            assertThat(writerOne.readAfter(connection, LogPosition.START, 10)).extracting(Row::seq).containsExactly(1, 2);
        }
    }

    /**
     * Many writers commit after random delays and some roll back, while readers follow the log from
     * the start. Every reader must see every committed row exactly once, each writer's rows in the
     * order that writer committed them, and no rolled-back row.
     */
    @RepeatedTest(5)
    void concurrent_writers_with_late_commits_and_rollbacks_lose_nothing_and_duplicate_nothing() throws Exception {
        int writers = 6;
        int transactionsPerWriter = 40;
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService executor = Executors.newFixedThreadPool(writers + 2);
        try {
            List<Future<?>> writerFutures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                writerFutures.add(executor.submit(() -> {
                    int seq = 0;
                    for (int t = 0; t < transactionsPerWriter; t++) {
                        try (Connection connection = db.dataSource().getConnection()) {
                            connection.setAutoCommit(false);
                            int rows = 1 + ThreadLocalRandom.current().nextInt(3);
                            List<String> keys = new ArrayList<>();
                            for (int r = 0; r < rows; r++) {
                                insert(connection, writer, ++seq);
                                keys.add(writer + ":" + seq);
                            }
                            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(3_000)));
                            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                                connection.rollback();
                                seq -= rows;
                            } else {
                                connection.commit();
                                committed.addAll(keys);
                            }
                        }
                    }
                    return null;
                }));
            }
            List<Future<List<Row>>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(executor.submit(() -> follow(writing)));
            }
            for (Future<?> future : writerFutures) {
                future.get(2, TimeUnit.MINUTES);
            }
            writing.set(false);
            for (Future<List<Row>> reader : readers) {
                List<Row> seen = reader.get(2, TimeUnit.MINUTES);
                List<String> keys = seen.stream().map(row -> row.writer() + ":" + row.seq()).toList();
                assertThat(new HashSet<>(keys)).as("no duplicates").hasSize(keys.size());
                assertThat(new HashSet<>(keys)).as("exactly the committed rows").isEqualTo(committed);
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    assertThat(seen.stream().filter(row -> row.writer() == writer).map(Row::seq).toList())
                            .as("writer %d in its commit order", writer).isSorted();
                }
                assertThat(seen.stream().map(Row::position).toList()).as("log order").isSorted();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private List<Row> follow(AtomicBoolean writing) throws SQLException {
        List<Row> seen = new ArrayList<>();
        LogPosition after = LogPosition.START;
        try (Connection connection = db.dataSource().getConnection()) {
            while (true) {
                boolean lastRound = !writing.get();
                List<Row> batch = LOG.readAfter(connection, after, 7);
                if (!batch.isEmpty()) {
                    seen.addAll(batch);
                    after = batch.get(batch.size() - 1).position();
                } else if (lastRound) {
                    return seen;
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    private void insert(int writer, int seq) throws SQLException {
        try (Connection connection = db.dataSource().getConnection()) {
            insert(connection, writer, seq);
        }
    }

    private static void insert(Connection connection, int writer, int seq) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO gapfree.log_rows (writer, seq) VALUES (?, ?)")) {
            insert.setInt(1, writer);
            insert.setInt(2, seq);
            insert.executeUpdate();
        }
    }
}
