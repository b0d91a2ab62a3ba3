package dev.keel.twophase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.keel.test.TestDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The domain of the two-phase tests: two warehouses, each its own database, and moving stock from one
 * to the other atomically. Stock cannot go negative (a CHECK constraint), so a move of more than there
 * is fails in the source warehouse's work. The test class's own database holds the decision log.
 */
final class Warehouses {

    private static final String STOCK = "CREATE TABLE stock (sku text PRIMARY KEY, quantity int NOT NULL CHECK (quantity >= 0))";

    final TestDatabase log;
    final TestDatabase a;
    final TestDatabase b;
    final Participant warehouseA;
    final Participant warehouseB;

    private Warehouses(TestDatabase log, TestDatabase a, TestDatabase b) {
        this.log = log;
        this.a = a;
        this.b = b;
        this.warehouseA = Participant.of("warehouse_a", a.dataSource());
        this.warehouseB = Participant.of("warehouse_b", b.dataSource());
    }

    static Warehouses create(TestDatabase db) {
        TestDatabase a = db.newDatabase("warehouse_a");
        TestDatabase b = db.newDatabase("warehouse_b");
        a.execute(STOCK);
        b.execute(STOCK);
        return new Warehouses(db, a, b);
    }

    /** A coordinator of both warehouses, with its own meters. */
    TwoPhaseCoordinator.Builder coordinator(String id) {
        return TwoPhaseCoordinator.builder(id, log.dataSource())
                .participant(warehouseA)
                .participant(warehouseB)
                .meterRegistry(new SimpleMeterRegistry());
    }

    void stock(String sku, int inA, int inB) {
        a.execute("INSERT INTO stock VALUES ('" + sku + "', " + inA + ")");
        b.execute("INSERT INTO stock VALUES ('" + sku + "', " + inB + ")");
    }

    /** Takes from A and puts into B, in that order. */
    void move(TwoPhaseTransaction tx, String sku, int quantity) {
        tx.on(warehouseA, connection -> change(connection, sku, -quantity));
        tx.on(warehouseB, connection -> change(connection, sku, quantity));
    }

    static void change(Connection connection, String sku, int delta) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE stock SET quantity = quantity + ? WHERE sku = ?")) {
            update.setInt(1, delta);
            update.setString(2, sku);
            if (update.executeUpdate() != 1) {
                throw new IllegalArgumentException("no stock of " + sku);
            }
        }
    }

    int inA(String sku) {
        return quantity(a.dataSource(), sku);
    }

    int inB(String sku) {
        return quantity(b.dataSource(), sku);
    }

    static int quantity(DataSource dataSource, String sku) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT quantity FROM stock WHERE sku = ?")) {
            select.setString(1, sku);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no stock row for " + sku);
                }
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Global transaction ids prepared in either warehouse, by anyone. */
    List<String> prepared() {
        return preparedIn(log.dataSource(), a.name(), b.name());
    }

    static List<String> preparedIn(DataSource anyDatabaseOfTheServer, String... databases) {
        try (Connection connection = anyDatabaseOfTheServer.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT gid FROM pg_prepared_xacts WHERE database = ANY (?) ORDER BY gid")) {
            select.setArray(1, connection.createArrayOf("text", databases));
            List<String> gids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    gids.add(rows.getString(1));
                }
            }
            return gids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decisions of a coordinator that are not marked finished. */
    long unfinishedDecisions(String coordinator) {
        try (Connection connection = log.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT count(*) FROM keel.twophase_decisions WHERE coordinator = ? AND finished_at IS NULL")) {
            select.setString(1, coordinator);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decision logged for a transaction: "commit", "abort" or "none". */
    String decision(TransactionId transaction) {
        try (Connection connection = log.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT decision FROM keel.twophase_decisions WHERE coordinator = ? AND transaction_id = ?")) {
            select.setString(1, transaction.coordinator());
            select.setObject(2, transaction.value());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : "none";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
