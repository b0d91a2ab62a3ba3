package dev.keel.core;

/**
 * The root of every exception Keel throws on purpose. Each one says whether trying again can help:
 * a {@link TransientException} (a lock timeout, a broker that is restarting) may succeed on retry, a
 * {@link NonTransientException} (invalid input, a version conflict, an undecodable message) never will.
 * Retry loops, consumers and sagas decide with {@link #isTransient()}, not by exception class names.
 */
public abstract sealed class KeelException extends RuntimeException permits TransientException, NonTransientException {

    protected KeelException(String message) {
        super(message);
    }

    protected KeelException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether the same operation, tried again later, may succeed. */
    public abstract boolean isTransient();
}
