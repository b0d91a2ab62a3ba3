package dev.keel.twophase;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work on one participant's connection, inside the transaction's branch on that participant. The
 * connection must not be committed, rolled back or closed: the coordinator ends the branch.
 */
@FunctionalInterface
public interface ParticipantAction {
    void run(Connection connection) throws SQLException;
}
