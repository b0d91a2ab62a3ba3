package dev.keel.core;

/** A failure that trying again cannot fix: the input, the state or the code must change first. */
public non-sealed class NonTransientException extends KeelException {

    public NonTransientException(String message) {
        super(message);
    }

    public NonTransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public final boolean isTransient() {
        return false;
    }
}
