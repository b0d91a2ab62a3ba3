package dev.keel.core;

/** A failure that may go away if the same operation is tried again later. */
public non-sealed class TransientException extends KeelException {

    public TransientException(String message) {
        super(message);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isTransient() {
        return true;
    }
}
