package dev.keel.twophase;

import java.time.Duration;

/** The coordinator's timing, checked once by the builder. */
record Settings(
        Duration voteTimeout,
        Duration statementTimeout,
        Duration lockTimeout,
        Duration idleInTransactionTimeout,
        Duration presumeAbortAfter,
        Duration recoveryInterval,
        Duration decisionRetention) {

    /**
     * How long any one JDBC call may block before the coordinator gives up on the connection: a
     * healthy server answers within the statement timeout, because it cancels the statement itself;
     * the margin covers the network.
     */
    Duration networkTimeout() {
        return statementTimeout.plusSeconds(5);
    }

    int networkTimeoutMillis() {
        return Math.toIntExact(networkTimeout().toMillis());
    }
}
