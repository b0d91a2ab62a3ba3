package dev.keel.core;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.sql.SQLException;
import java.sql.SQLNonTransientException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether a failure is worth retrying. The {@linkplain #defaults() default classifier} knows
 * Keel's own exceptions, JDBC errors by SQLSTATE and the JDK's network timeouts; modules that add a
 * technology add what they know with {@link #orElse(FailureClassifier)} (the Kafka transport, for
 * instance, knows Kafka's retriable exceptions).
 */
@FunctionalInterface
public interface FailureClassifier {

    enum Verdict { TRANSIENT, NON_TRANSIENT, UNKNOWN }

    /** Classifies one throwable, without looking at its causes. */
    Verdict classifyOne(Throwable failure);

    /**
     * Classifies a failure by its cause chain: the first link with a verdict decides. A failure no
     * link has an opinion on is treated as non-transient, so an unknown bug is not retried forever.
     */
    default boolean isTransient(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable link = failure; link != null && seen.add(link); link = link.getCause()) {
            Verdict verdict = classifyOne(link);
            if (verdict != Verdict.UNKNOWN) {
                return verdict == Verdict.TRANSIENT;
            }
        }
        return false;
    }

    /** This classifier, and where it has no verdict, the other one. */
    default FailureClassifier orElse(FailureClassifier other) {
        return failure -> {
            Verdict verdict = classifyOne(failure);
            return verdict != Verdict.UNKNOWN ? verdict : other.classifyOne(failure);
        };
    }

    /** Keel exceptions, JDBC by SQLSTATE class, JDK network timeouts. */
    static FailureClassifier defaults() {
        return DefaultFailureClassifier.INSTANCE;
    }
}

final class DefaultFailureClassifier implements FailureClassifier {

    static final DefaultFailureClassifier INSTANCE = new DefaultFailureClassifier();

    private DefaultFailureClassifier() {
    }

    @Override
    public Verdict classifyOne(Throwable failure) {
        if (failure instanceof KeelException keel) {
            return keel.isTransient() ? Verdict.TRANSIENT : Verdict.NON_TRANSIENT;
        }
        if (failure instanceof SQLException sql) {
            return classifySql(sql);
        }
        if (failure instanceof TimeoutException || failure instanceof HttpTimeoutException
                || failure instanceof InterruptedIOException || failure instanceof ConnectException
                || failure instanceof SocketException) {
            return Verdict.TRANSIENT;
        }
        return Verdict.UNKNOWN;
    }

    private static Verdict classifySql(SQLException sql) {
        String state = sql.getSQLState();
        if (state != null && state.length() == 5) {
            // https://www.postgresql.org/docs/current/errcodes-appendix.html
            switch (state) {
                case "40001", "40P01", "55P03", "57014", "57P01", "57P02", "57P03" -> {
                    // serialization failure, deadlock, lock not available, query canceled (statement
                    // timeout), admin shutdown, crash shutdown, cannot connect now
                    return Verdict.TRANSIENT;
                }
                default -> {
                }
            }
            String stateClass = state.substring(0, 2);
            if (stateClass.equals("08") || stateClass.equals("53") || stateClass.equals("58")) {
                // connection exception, insufficient resources, system error (I/O)
                return Verdict.TRANSIENT;
            }
            if (stateClass.equals("22") || stateClass.equals("23") || stateClass.equals("42")
                    || stateClass.equals("2B") || stateClass.equals("28") || stateClass.equals("3D")) {
                // bad data, constraint violation, syntax/privilege, dependent objects, auth, no database
                return Verdict.NON_TRANSIENT;
            }
        }
        if (sql instanceof SQLTransientException || sql instanceof SQLRecoverableException) {
            return Verdict.TRANSIENT;
        }
        if (sql instanceof SQLNonTransientException) {
            return Verdict.NON_TRANSIENT;
        }
        return Verdict.UNKNOWN;
    }
}
