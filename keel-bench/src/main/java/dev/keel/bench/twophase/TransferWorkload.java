package dev.keel.bench.twophase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.keel.bench.BenchContext;
import dev.keel.embedded.Durability;
import dev.keel.twophase.Outcome;
import dev.keel.twophase.Participant;
import dev.keel.twophase.TwoPhaseCoordinator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A transfer between two banks, each its own database on the cluster of one durability: take an
 * amount from an account in bank A, put it into the same account in bank B. Each side updates one
 * row. The same transfer runs as one two-phase transaction ({@link #transferTwoPhase()}) or as two
 * independent local commits ({@link #transferTwoLocalCommits()}, the same work without atomicity:
 * what the database does at best). Accounts are picked at random, so concurrent transfers rarely
 * wait on each other; every transfer takes A before B, so they cannot deadlock.
 *
 * <p>The {@code consistency} suite reuses this workload for the two-phase side of its comparison
 * with the saga: {@link #bankA()}, {@link #bankB()} and {@link #coordinator()} give it the parts.
 */
public final class TransferWorkload implements AutoCloseable {

    private static final AtomicInteger COORDINATORS = new AtomicInteger();
    private static final long OPENING_BALANCE = 1_000_000;
    private static final String DEBIT = "UPDATE account SET balance = balance - ? WHERE id = ?";
    private static final String CREDIT = "UPDATE account SET balance = balance + ? WHERE id = ?";

    private final Participant bankA;
    private final Participant bankB;
    private final int accounts;
    private final TwoPhaseCoordinator coordinator;

    private TransferWorkload(Participant bankA, Participant bankB, int accounts, TwoPhaseCoordinator coordinator) {
        this.bankA = bankA;
        this.bankB = bankB;
        this.accounts = accounts;
        this.coordinator = coordinator;
    }

    /**
     * Three fresh databases on the cluster of that durability: the decision log and two banks of
     * {@code accounts} accounts each, with connection pools of {@code connections}.
     */
    public static TransferWorkload create(BenchContext context, Durability durability, int accounts, int connections) throws SQLException {
        DataSource log = context.freshDatabase("twophase_log", durability, connections);
        Participant bankA = Participant.of("bank_a", context.freshDatabase("twophase_bank_a", durability, connections));
        Participant bankB = Participant.of("bank_b", context.freshDatabase("twophase_bank_b", durability, connections));
        openAccounts(bankA.dataSource(), accounts);
        openAccounts(bankB.dataSource(), accounts);
        TwoPhaseCoordinator coordinator = TwoPhaseCoordinator.builder("bench-" + COORDINATORS.incrementAndGet(), log)
                .participant(bankA)
                .participant(bankB)
                .meterRegistry(new SimpleMeterRegistry())
                .build();
        return new TransferWorkload(bankA, bankB, accounts, coordinator);
    }

    private static void openAccounts(DataSource bank, int accounts) throws SQLException {
        try (Connection connection = bank.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE account (id int PRIMARY KEY, balance bigint NOT NULL)");
            statement.execute("INSERT INTO account SELECT n, " + OPENING_BALANCE + " FROM generate_series(0, " + (accounts - 1) + ") AS n");
            statement.execute("VACUUM ANALYZE account");
        }
    }

    /** One transfer of 1 from a random account in A to the same account in B, as one two-phase transaction. */
    public Outcome transferTwoPhase() {
        int account = ThreadLocalRandom.current().nextInt(accounts);
        Outcome outcome = coordinator.execute(tx -> {
            tx.on(bankA, connection -> update(connection, DEBIT, account));
            tx.on(bankB, connection -> update(connection, CREDIT, account));
        });
        if (!(outcome instanceof Outcome.Committed committed) || !committed.isComplete()) {
            throw new IllegalStateException("a transfer did not commit everywhere: " + outcome);
        }
        return outcome;
    }

    /** The same transfer as two separate local commits: the same work, not atomic. */
    public void transferTwoLocalCommits() throws SQLException {
        int account = ThreadLocalRandom.current().nextInt(accounts);
        try (Connection connection = bankA.dataSource().getConnection()) {
            update(connection, DEBIT, account);
        }
        try (Connection connection = bankB.dataSource().getConnection()) {
            update(connection, CREDIT, account);
        }
    }

    private static void update(Connection connection, String sql, int account) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setLong(1, 1);
            update.setInt(2, account);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no account " + account);
            }
        }
    }

    /** Checks that no money was made or lost and that nothing was left prepared. */
    public void checkConsistent() throws SQLException {
        long total = sum(bankA.dataSource(), "SELECT sum(balance) FROM account") + sum(bankB.dataSource(), "SELECT sum(balance) FROM account");
        if (total != 2 * OPENING_BALANCE * accounts) {
            throw new IllegalStateException("the banks hold " + total + " instead of " + 2 * OPENING_BALANCE * accounts);
        }
        long prepared = sum(bankA.dataSource(), "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()")
                + sum(bankB.dataSource(), "SELECT count(*) FROM pg_prepared_xacts WHERE database = current_database()");
        if (prepared != 0) {
            throw new IllegalStateException(prepared + " transactions were left prepared");
        }
    }

    private static long sum(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); ResultSet row = connection.createStatement().executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    public Participant bankA() {
        return bankA;
    }

    public Participant bankB() {
        return bankB;
    }

    public TwoPhaseCoordinator coordinator() {
        return coordinator;
    }

    @Override
    public void close() {
        coordinator.close();
    }
}
