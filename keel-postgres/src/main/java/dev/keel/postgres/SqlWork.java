package dev.keel.postgres;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with a JDBC connection inside a transaction that {@link Transactions} opens and ends. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
