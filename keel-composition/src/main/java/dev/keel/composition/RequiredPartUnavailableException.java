package dev.keel.composition;

import dev.keel.core.TransientException;

/**
 * A required part has no value because its downstream could not answer in time (timeout, deadline,
 * circuit open, bulkhead full, connection failure, 5xx, 429): the same composition may succeed
 * later. A gateway answers 503 or 504.
 */
public final class RequiredPartUnavailableException extends TransientException {

    private final String part;
    private final Failure failure;

    RequiredPartUnavailableException(String part, Failure failure) {
        super("the required part '" + part + "' is missing (" + failure.reason().code() + "): " + failure.detail());
        this.part = part;
        this.failure = failure;
    }

    public String part() {
        return part;
    }

    public Failure failure() {
        return failure;
    }
}
