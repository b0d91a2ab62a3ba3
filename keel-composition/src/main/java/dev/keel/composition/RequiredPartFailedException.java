package dev.keel.composition;

import dev.keel.core.NonTransientException;

/**
 * A required part has no value because its downstream answered definitively: 404
 * ({@link Reason#NOT_FOUND}), another 4xx, or a body that cannot be decoded; or because its request
 * could not be built. Trying again will not help. A gateway answers 404 for {@code not_found}, and
 * 502 for the rest.
 */
public final class RequiredPartFailedException extends NonTransientException {

    private final String part;
    private final Failure failure;

    RequiredPartFailedException(String part, Failure failure) {
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
