package dev.keel.twophase;

import java.sql.Connection;
import java.util.Objects;

import javax.sql.DataSource;

/**
 * One database that takes part in two-phase transactions: a name (part of every global transaction
 * id, so it must stay the same across restarts) and where to connect. Participants may live on
 * different servers. Every participant must be registered with the coordinator, because recovery
 * looks for in-doubt transactions in each of them.
 *
 * <p>The role the data source connects as prepares the transactions, and only that role (or a
 * superuser) can commit or roll them back: recovery must connect as the same role.
 */
public record Participant(String name, DataSource dataSource, Isolation isolation) {

    /** The isolation level of the participant's branch of each transaction. */
    public enum Isolation {
        READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
        REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
        SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

        private final int jdbcLevel;

        Isolation(int jdbcLevel) {
            this.jdbcLevel = jdbcLevel;
        }

        int jdbcLevel() {
            return jdbcLevel;
        }
    }

    public Participant {
        Names.check(name, "participant name");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(isolation, "isolation");
    }

    /** A participant whose branches run at READ COMMITTED, PostgreSQL's default. */
    public static Participant of(String name, DataSource dataSource) {
        return new Participant(name, dataSource, Isolation.READ_COMMITTED);
    }

    public Participant withIsolation(Isolation level) {
        return new Participant(name, dataSource, level);
    }

    @Override
    public String toString() {
        return "participant '" + name + "'";
    }
}
